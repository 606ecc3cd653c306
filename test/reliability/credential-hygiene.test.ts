// Reliability: no credential ever leaves the provider, on any path.
//
// Distinctive canaries — API keys, secrets, bearer tokens, and the base64 `key:secret` of HTTP Basic — are set in
// the stack config (configure) AND in the environment, and the emulator accepts the config ones. Then the
// provider runs create/read/update/delete through successes and failures: 401 (wrong secret, wrong token, an
// environment pair), 403, 500 until the retries are exhausted, attempt timeouts and deadlines, FAILED (init
// errors), missing and half-set credentials, a server echoing credentials back (also cut mid-secret by a
// message's truncation). Every artefact is scanned for every canary, and for any 10-character piece of one:
//   errors (message, stack, String(), util.inspect with showHidden, JSON.stringify, init-error properties and
//   reasons), outs and read results, every log line at info, warn and debug (the client logs retries at debug),
//   everything written to process.stdout / process.stderr (a provider without a log sink writes through
//   pulumi.log to the console), the emulator's request log (which records the auth kind only), and `__provider`
//   (what dynamic.Resource stores, from the package as a program folder installed it) after the installed handle
//   was configured and used.
//
// Not repeated from test/provider: the client-level echo scenarios (client.test.ts) and the `__provider` of a
// freshly configured handle (serialization.test.ts (a)). Here the handle has already run, failed and retried.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../../emulator";
import { providerTextFromResource } from "../support/plugin";
import {
  CONNECTIONS, ENV, asThePluginRunsIt, Harness, awsArgs, configRequest, thrown, until, withEnv, type Props,
} from "../support/provider";
import { captureConsole, json, leakScan } from "../support/leaks";

const ITEM = `${CONNECTIONS}/*`;
const b64 = (key: string, secret: string): string => Buffer.from(`${key}:${secret}`).toString("base64");

const CFG = { key: "CFGKEY7Q3ZW1XK0M", secret: "cfg-s3cr3t-9f8e7d6c5b4a3928-Zq", token: "cfg-bearer-8c7b6a5f4e3d2c1b-Yx" };
const ENVC = { key: "ENVKEY4M8NP2RT6V", secret: "env-s3cr3t-1a2b3c4d5e6f7081-Wv", token: "env-bearer-0f1e2d3c4b5a6978-Ut" };
const WRONG = { secret: "wrong-s3cr3t-77aa66bb55cc44dd-Ts", token: "wrong-bearer-33ee22ff11aa00bb-Rq" };

const CANARIES: Record<string, string> = {
  "config key": CFG.key,
  "config secret": CFG.secret,
  "config token": CFG.token,
  "env key": ENVC.key,
  "env secret": ENVC.secret,
  "env token": ENVC.token,
  "wrong secret": WRONG.secret,
  "wrong token": WRONG.token,
  "config Basic": b64(CFG.key, CFG.secret),
  "env Basic": b64(ENVC.key, ENVC.secret),
  "wrong-secret Basic": b64(CFG.key, WRONG.secret),
};
const { assertNoLeak, assertErrorClean, assertValueClean } = leakScan(() => CANARIES);

// Everything written to stdout / stderr while this file runs.
let console_: ReturnType<typeof captureConsole>;

let emulator: Emulator;

before(async () => {
  console_ = captureConsole();
  emulator = await startEmulator({
    credentials: { apiKey: CFG.key, apiSecret: CFG.secret },
    accessTokens: [CFG.token, ENVC.token],
    timing: { provisioningMs: 100, deprovisioningMs: 100 },
  });
});

after(async () => {
  console_?.restore();
  await emulator?.close();
});

const CONFIG_PAIR = (): Record<string, string> => ({
  "confluentcloud:cloudApiKey": CFG.key,
  "confluentcloud:cloudApiSecret": CFG.secret,
  "confluentcloud:endpoint": emulator.url,
});
const ENV_ALL = (): Record<string, string> => ({
  CONFLUENT_CLOUD_API_KEY: ENVC.key,
  CONFLUENT_CLOUD_API_SECRET: ENVC.secret,
  CONFLUENT_CLOUD_ACCESS_TOKEN: ENVC.token,
  CONFLUENT_CLOUD_ENDPOINT: emulator.url,
});

/** A harness on the shared emulator (reset first); the checks at the end of each test run on what it collected. */
async function scenario(name: string, fn: (h: Harness) => Promise<void>, options: ConstructorParameters<typeof Harness>[1] = {}): Promise<void> {
  emulator.control.reset();
  const h = new Harness(emulator, options);
  await withEnv(ENV_ALL(), async () => {
    await h.provider.configure(configRequest(CONFIG_PAIR()));
    await fn(h);
  });
  assertNoLeak(`${name}: log lines`, h.lines.map((l) => `${l.level}: ${l.line}`).join("\n"));
  const requests = h.control.requests();
  assertNoLeak(`${name}: emulator request log`, json(requests));
  for (const r of requests) assert.ok(["basic", "bearer", "none", "invalid"].includes(r.auth), `auth kind ${r.auth}`);
  assert.deepEqual(
    requests.flatMap((r) => Object.keys(r)).filter((k) => /auth|header|credential|secret|token/i.test(k) && k !== "auth"),
    [],
    "the request log has no field but `auth` about credentials",
  );
}

/** check + create with the harness (credentials resolved from whatever is configured now). */
async function created(h: Harness, extra: Props = {}): Promise<{ id: string; outs: Props; inputs: Props }> {
  const result = await h.create(awsArgs(extra));
  assertValueClean("create outs", result.outs);
  return result;
}

describe("successes: outputs, results and logs hold no credential", () => {
  test("stack config key + secret (env set too, and ignored): create, read, update, delete", async () => {
    await scenario("config pair", async (h) => {
      const { id, outs, inputs } = await created(h);
      const read = await h.provider.read(id, Harness.state(outs));
      assertValueClean("read result", read);
      const diff = await h.provider.diff(id, Harness.state(outs), { ...inputs, displayName: "renamed" });
      assertValueClean("diff result", diff);
      const updated = await h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "renamed" });
      assertValueClean("update result", updated);
      await h.provider.delete(id, Harness.state(updated.outs!));
      assert.ok(h.control.requests().every((r) => r.auth === "basic"), "the config pair was used");
    });
  });

  test("a bearer token from stack config", async () => {
    await scenario("config token", async (h) => {
      await h.provider.configure(configRequest({ "confluentcloud:accessToken": CFG.token, "confluentcloud:endpoint": emulator.url }));
      const { id, outs } = await created(h);
      assertValueClean("read result", await h.provider.read(id, Harness.state(outs)));
      await h.provider.delete(id, Harness.state(outs));
      assert.ok(h.control.requests().every((r) => r.auth === "bearer"));
    });
  });

  test("a bearer token from the environment (no stack config)", async () => {
    await scenario("env token", async (h) => {
      await withEnv({ CONFLUENT_CLOUD_ACCESS_TOKEN: ENVC.token, CONFLUENT_CLOUD_ENDPOINT: emulator.url }, async () => {
        await h.provider.configure(configRequest({}));
        const { id, outs } = await created(h);
        await h.provider.delete(id, Harness.state(outs));
      });
      assert.ok(h.control.requests().every((r) => r.auth === "bearer"));
    });
  });
});

describe("failures: errors, init errors and logs hold no credential", () => {
  test("401: a wrong secret in the stack config, on create, read, update and delete", async () => {
    await scenario("401 wrong secret", async (h) => {
      const { id, outs, inputs } = await created(h);
      await h.provider.configure(configRequest({ ...CONFIG_PAIR(), "confluentcloud:cloudApiSecret": WRONG.secret }));
      h.control.clearRequests();
      const errors = [
        await thrown(() => h.provider.create(inputs)),
        await thrown(() => h.provider.read(id, Harness.state(outs))),
        await thrown(() => h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "x" })),
        await thrown(() => h.provider.delete(id, Harness.state(outs))),
      ];
      for (const e of errors) {
        // ApiErrors carry the status; the update's init error (the connection is kept in state) names it.
        assert.ok(e.status === 401 || e.message.includes("HTTP 401"), e.message);
        assertErrorClean(`401 ${e.operation ?? "update (init error)"}`, e);
      }
      assert.ok(errors[2].properties, "the update failure is an init error keeping the connection");
      assert.ok(h.control.requests().every((r) => r.auth === "invalid"));
    });
  });

  test("401: a wrong bearer token, and an environment key pair the API does not accept", async () => {
    await scenario("401 token and env pair", async (h) => {
      const { id, outs } = await created(h);
      await h.provider.configure(configRequest({ "confluentcloud:accessToken": WRONG.token, "confluentcloud:endpoint": emulator.url }));
      assertErrorClean("401 wrong token", await thrown(() => h.provider.read(id, Harness.state(outs))));
      await h.provider.configure(configRequest({}));
      const fromEnv = await thrown(() => h.provider.read(id, Harness.state(outs)));
      assert.equal(fromEnv.status, 401);
      assert.match(fromEnv.message, /from environment CONFLUENT_CLOUD_API_KEY\/CONFLUENT_CLOUD_API_SECRET/, "names where, never what");
      assertErrorClean("401 env pair", fromEnv);
    });
  });

  test("403 on every operation", async () => {
    await scenario("403", async (h) => {
      const { id, outs, inputs } = await created(h);
      for (const method of ["POST", "GET", "PATCH", "DELETE"]) {
        h.control.injectFault({ method, path: method === "POST" ? CONNECTIONS : ITEM, status: 403 });
      }
      const fresh = await h.check(awsArgs());
      const errors = [
        await thrown(() => h.provider.create(fresh)),
        await thrown(() => h.provider.read(id, Harness.state(outs))),
        await thrown(() => h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "x" })),
        await thrown(() => h.provider.delete(id, Harness.state(outs))),
      ];
      for (const e of errors) {
        // ApiErrors carry the status; the update's init error (the connection is kept in state) names it.
        assert.ok(e.status === 403 || e.message.includes("HTTP 403"), e.message);
        assertErrorClean(`403 ${e.operation ?? "update (init error)"}`, e);
      }
    });
  });

  test("500 until the retries are exhausted (retries logged at debug), and an ambiguous POST reconciled", async () => {
    await scenario("500", async (h) => {
      const { id, outs, inputs } = await created(h);
      const always500 = { status: 500, count: 1000, headers: { "Retry-After": "0" } };
      h.control.injectFault({ method: "GET", path: ITEM, ...always500 });
      h.control.injectFault({ method: "PATCH", path: ITEM, ...always500 });
      h.control.injectFault({ method: "DELETE", path: ITEM, ...always500 });
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 500, count: 3, when: "after" });
      const errors = [
        await thrown(() => h.provider.read(id, Harness.state(outs))),
        await thrown(() => h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "x" })),
        await thrown(() => h.provider.delete(id, Harness.state(outs))),
      ];
      for (const e of errors) {
        assert.match(e.message, /after 9 attempts/);
        assertErrorClean(`500 ${e.operation}`, e);
      }
      h.control.clearFaults();
      // Applied, then answered 500: found by listing, not POSTed again.
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 500, when: "after" });
      const adopted = await created(h);
      assert.ok(h.control.connection(adopted.id));
      const debug = h.lines.filter((l) => l.level === "debug");
      assert.ok(debug.length >= 24, `the client logged its retries at debug (${debug.length} lines)`);
      assert.ok(debug.some((l) => /HTTP 500/.test(l.line) && /retry \d+\/8/.test(l.line)), debug.map((l) => l.line).join("\n"));
    });
  });

  test("attempt timeouts and deadlines: read, create (never READY), delete (never gone)", async () => {
    await scenario("timeouts", async (h) => {
      const { id, outs, inputs } = await created(h);
      h.control.injectFault({ method: "GET", path: ITEM, delayMs: 400, count: 1000 });
      const read = await thrown(() => h.provider.read(id, { ...Harness.state(outs), timeouts: { update: "1500ms" } }));
      assert.match(read.message, /deadline exceeded|timed out/);
      assertErrorClean("read deadline", read);
      h.control.clearFaults();

      const creating = h.provider.create({ ...(await h.check(awsArgs({ timeouts: { create: "700ms" } }))) });
      const view = await until(() => h.control.connections().find((c) => c.id !== id), "the POST to be applied");
      h.control.hold(view.id);
      const never = await thrown(() => creating);
      assert.equal(never.id, view.id);
      assertErrorClean("create deadline (init error)", never);

      h.control.configure({ timing: { deprovisioningMs: 60_000 } });
      const gone = await thrown(() => h.provider.delete(id, { ...Harness.state(outs), timeouts: { delete: "600ms" } }));
      assert.match(gone.message, /still exists/);
      assertErrorClean("delete deadline", gone);
      void inputs;
    }, { attemptTimeoutMs: 150 });
  });

  test("FAILED while creating: the init error's properties and reasons", async () => {
    await scenario("FAILED", async (h) => {
      h.control.configure({ timing: { provisioningMs: 60_000 } });
      const creating = h.provider.create(await h.check(awsArgs()));
      const view = await until(() => h.control.connections()[0], "the POST to be applied");
      h.control.setPhase(view.id, "FAILED", { errorCode: "QUOTA_EXCEEDED", errorMessage: "too many endpoints" });
      const error = await thrown(() => creating);
      assert.equal(error.id, view.id);
      assert.ok(Array.isArray(error.reasons) && error.reasons.length > 1);
      assertErrorClean("FAILED init error", error);
      // A refresh of the FAILED connection warns (the warn level of the sink is scanned too).
      const read = await h.provider.read(view.id, { ...error.properties });
      assertValueClean("read of a FAILED connection", read);
      assert.ok(h.lines.some((l) => l.level === "warn" && l.line.includes("FAILED")), "a warning was logged");
      assert.ok(h.lines.some((l) => l.level === "info"), "progress was logged");
    });
  });

  test("missing credentials, and half a pair (the key alone is never echoed)", async () => {
    await scenario("missing", async (h) => {
      const { id, outs, inputs } = await created(h);
      await withEnv({ CONFLUENT_CLOUD_ENDPOINT: emulator.url }, async () => {
        await h.provider.configure(configRequest({ "confluentcloud:endpoint": emulator.url }));
        for (const call of [() => h.provider.create(inputs), () => h.provider.read(id, Harness.state(outs)), () => h.provider.delete(id, Harness.state(outs))]) {
          const e = await thrown(call);
          assert.match(e.message, /credentials are missing/);
          assertErrorClean("missing credentials", e);
        }
        await h.provider.configure(configRequest({ "confluentcloud:cloudApiKey": CFG.key, "confluentcloud:endpoint": emulator.url }));
        const half = await thrown(() => h.provider.read(id, Harness.state(outs)));
        assert.match(half.message, /incomplete: confluentcloud:cloudApiKey is set/);
        assertErrorClean("half a config pair", half);
      });
      await withEnv({ CONFLUENT_CLOUD_API_SECRET: ENVC.secret, CONFLUENT_CLOUD_ENDPOINT: emulator.url }, async () => {
        await h.provider.configure(configRequest({}));
        const half = await thrown(() => h.provider.read(id, Harness.state(outs)));
        assert.match(half.message, /incomplete: CONFLUENT_CLOUD_API_SECRET is set/);
        assertErrorClean("half an env pair", half);
      });
    });
  });

  test("a server echoing the credentials back (whole, and cut mid-secret by the message's truncation)", async () => {
    await scenario("echo", async (h) => {
      const { id, outs } = await created(h);
      const authorization = `Basic ${b64(CFG.key, CFG.secret)}`;
      const echoes: Array<{ status: number; body: string; contentType?: string }> = [
        { status: 400, body: JSON.stringify({ errors: [{ detail: `rejected ${authorization} for ${CFG.secret}`, code: CFG.secret }] }) },
        // Long bodies are shortened in messages (200 characters of text, 500 of a detail, 120 of invalid JSON):
        // a secret straddling the cut must not survive as a prefix.
        { status: 400, body: `${"x".repeat(184)}${CFG.secret} ${authorization}`, contentType: "text/plain" },
        { status: 400, body: JSON.stringify({ errors: [{ detail: `${"d".repeat(484)}${CFG.secret}` }] }) },
        { status: 400, body: `{${"j".repeat(100)}${CFG.secret}`, contentType: "application/json" },
        { status: 200, body: `{${"j".repeat(100)}${b64(CFG.key, CFG.secret)}`, contentType: "application/json" },
        // A connection object the reader rejects, quoting (shortened) the field: the secret sits across the cut.
        { status: 200, body: JSON.stringify({ id, status: `${"s".repeat(105)}${CFG.secret}` }) },
      ];
      for (const echo of echoes) {
        h.control.injectFault({ method: "GET", path: ITEM, ...echo });
        const e = await thrown(() => h.provider.read(id, Harness.state(outs)));
        assert.equal(e.status, echo.status);
        assertErrorClean(`echo in a ${echo.status} ${echo.contentType ?? "JSON"} body`, e);
      }
    });
  });
});

describe("the provider as the plugin runs it: pulumi.log to the console, then serialized", () => {
  const { provider, handle, program } = asThePluginRunsIt();

  test("a default provider and the handle: lifecycle, a warning and failures, all through pulumi.log", async () => {
    emulator.control.reset();
    await withEnv(ENV_ALL(), async () => {
      // Config stays on the instance configured: the handle's (the plugin's) and this one are each configured.
      await handle.configure!(configRequest(CONFIG_PAIR()));
      await provider.configure(configRequest(CONFIG_PAIR()));
      const inputs = (await provider.check({}, { ...awsArgs(), __provider: "marker" })).inputs as Props;
      const { id, outs } = await provider.create(inputs);
      emulator.control.setPhase(id, "DISCONNECTED");
      const read = await handle.read!(id, { ...outs, __provider: "marker" });
      assert.equal(read.props?.phase, "DISCONNECTED");
      emulator.control.setPhase(id, null);
      await handle.configure!(configRequest({ ...CONFIG_PAIR(), "confluentcloud:cloudApiSecret": WRONG.secret }));
      assertErrorClean("handle 401", await thrown(() => handle.delete!(id, { ...outs, __provider: "marker" })));
      await handle.configure!(configRequest(CONFIG_PAIR()));
      emulator.control.injectFault({ method: "POST", path: CONNECTIONS, status: 500 });
      const second = await provider.create((await provider.check({}, { ...awsArgs(), __provider: "marker" })).inputs as Props);
      assertValueClean("second create", second);
      await provider.delete(id, { ...outs, __provider: "marker" });
    });
    assert.match(console_.text(), /\[runtime\] .*DISCONNECTED/, "the warning went to the console");
    assert.match(console_.text(), /failed in transit/, "progress went to the console");
    assertNoLeak("emulator request log", json(emulator.control.requests()));
  });

  test("__provider after configure and use: no credential in the text, none flagged as secret", async () => {
    await withEnv(ENV_ALL(), async () => {
      await handle.configure!(configRequest(CONFIG_PAIR()));
      let viaHandle: pulumi.runtime.SerializedFunction;
      {
        const provider = handle; // named as dynamic.Resource names it, so the texts compare equal
        viaHandle = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
      }
      assert.equal(viaHandle.containsSecrets, false);
      assertNoLeak("serialized handle", viaHandle.text);
      const stored = await providerTextFromResource(program);
      assert.equal(stored, viaHandle.text, "the resource stores the handle so serialized");
      assertNoLeak("__provider", stored);
      assert.doesNotMatch(stored, new RegExp(`${ENV}|emulator-api|127\\.0\\.0\\.1`), "nothing from the run is captured either");
    });
  });

  test("nothing written to stdout or stderr during this file held a credential", () => {
    assert.ok(console_.text().length > 0, "something was written (the capture works)");
    assertNoLeak("stdout/stderr", console_.text());
  });
});
