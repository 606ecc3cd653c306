// Reliability: with OAuth, no client secret, identity provider token or STS token leaves the provider, on any path.
//
// Canaries: the client secret of the stack config's `confluentcloud:oauth`, another in CONFLUENT_CLOUD_OAUTH_*, a
// wrong client secret, a token given as oauthExternalAccessToken, and every token the emulator's identity provider
// and STS issued during the run (read from the emulator in-process). The provider runs create/read/update/delete,
// renews tokens mid-wait (short lifetimes and a revocation), and fails: a wrong client secret, an unknown pool, an
// identity provider and an STS echoing the secret or the given token, the API echoing the secret in a 401, FAILED.
// Every artefact is scanned for every canary and any 10-character piece of one: errors (message, stack, String(),
// util.inspect, JSON, init-error properties and reasons), outs, read results and init-error state (`__provider`
// included), every log line at every level, everything written to stdout/stderr (the provider without a sink
// writes through pulumi.log), the emulator's request log, and `__provider` (what dynamic.Resource stores, from the
// package as a program folder installed it) after the installed handle was used.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../../emulator";
import { providerTextFromResource } from "../support/plugin";
import { CONNECTIONS, asThePluginRunsIt, Harness, awsArgs, configRequest, thrown, until, type Props } from "../support/provider";
import { captureConsole, json, leakScan, tokenSecretPart } from "../support/leaks";

const IDP = "/_emulator/oauth2/token";
const STS = "/sts/v1/oauth2/token";
const POOL = "pool-hygiene";
const CLIENT = { clientId: "hygiene-client", clientSecret: "cfg-oauth-s3cr3t-4d5e6f7a8b9c-Qp" };
const ENV_CLIENT = { clientId: "hygiene-env-client", clientSecret: "env-oauth-s3cr3t-0a1b2c3d4e5f-Mn" };
const WRONG_SECRET = "wrong-oauth-s3cr3t-99887766554433-Lk";
const GIVEN_TOKEN = "given-external-t0ken-5566778899aabb-Jh";

let emulator: Emulator;
/** Tokens the emulator issued in earlier scenarios (reset forgets them): canaries until the end of the file. */
const seenTokens = new Set<string>();

function canaries(): Record<string, string> {
  const issued = emulator.control.issuedTokens();
  for (const token of [...issued.external, ...issued.sts]) seenTokens.add(token);
  const out: Record<string, string> = {
    "config client secret": CLIENT.clientSecret, "env client secret": ENV_CLIENT.clientSecret, "wrong client secret": WRONG_SECRET, "given external token": GIVEN_TOKEN,
  };
  [...seenTokens].forEach((token, i) => (out[`issued token ${i}`] = token));
  return out;
}

const { assertNoLeak, assertErrorClean, assertValueClean } = leakScan(canaries, tokenSecretPart);

// Everything written to stdout / stderr while this file runs.
let console_: ReturnType<typeof captureConsole>;

before(async () => {
  console_ = captureConsole();
  emulator = await startEmulator({ timing: { provisioningMs: 100, deprovisioningMs: 100 }, oauth: { identityPools: [POOL], clients: [CLIENT, ENV_CLIENT] } });
});

after(async () => {
  console_?.restore();
  await emulator?.close();
});

function oauthConfig(extra: Record<string, unknown> = {}): Record<string, string> {
  return {
    "confluentcloud:oauth": JSON.stringify({
      oauthExternalTokenUrl: emulator.oauth.tokenUrl, oauthExternalClientId: CLIENT.clientId, oauthExternalClientSecret: CLIENT.clientSecret, oauthIdentityPoolId: POOL, ...extra,
    }),
    "confluentcloud:endpoint": emulator.url,
  };
}

const ENV_OAUTH = (): Record<string, string> => ({
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL: emulator.oauth.tokenUrl,
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID: ENV_CLIENT.clientId,
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET: ENV_CLIENT.clientSecret,
  CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID: POOL,
  CONFLUENT_CLOUD_ENDPOINT: emulator.url,
});

/** Runs with the OAuth variables set (so they are canaries in the process too), restoring the environment after. */
async function withOAuthEnv<T>(fn: () => Promise<T>): Promise<T> {
  const values = ENV_OAUTH();
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A harness on the shared emulator; logs and the emulator's request log are checked at the end. */
async function scenario(fn: (h: Harness) => Promise<void>, config: Record<string, string> = oauthConfig()): Promise<void> {
  emulator.control.reset();
  const h = new Harness(emulator);
  await withOAuthEnv(async () => {
    await h.provider.configure(configRequest(config));
    await fn(h);
  });
  for (const l of h.lines) assertNoLeak(`log line (${l.level})`, l.line);
  assertNoLeak("emulator request log", json(emulator.control.requests()));
}

describe("successes: outputs, state and logs hold no secret or token", () => {
  test("create, read, update and delete with tokens renewed mid-wait (short lifetimes and a revocation)", async () => {
    await scenario(async (h) => {
      h.control.configure({ timing: { provisioningMs: 2500 }, oauth: { stsTokenLifetimeSeconds: 2, externalTokenLifetimeSeconds: 3 } });
      const creating = h.create(awsArgs());
      await until(() => h.count("GET", "item") >= 1, "the wait to have polled", 10_000);
      h.control.revokeTokens("sts");
      const { id, outs, inputs } = await creating;
      assertValueClean("create outs", outs);
      assertValueClean("state", Harness.state(outs));
      const read = await h.provider.read(id, Harness.state(outs));
      assertValueClean("read result", read);
      const updated = await h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "renamed" });
      assertValueClean("update result", updated);
      await h.provider.delete(id, Harness.state(updated.outs!));
      const counts = h.control.oauth();
      assert.ok(counts.stsIssued >= 3 && counts.externalIssued >= 2, `tokens were renewed: ${json(counts)}`);
      assert.ok(h.lines.some((l) => l.level === "debug" && /OAuth: /.test(l.line)), "renewals were logged at debug");
      assert.ok(h.requests().some((r) => r.status === 401), "a refused token was renewed");
    });
  });

  test("OAuth from the environment, and a token given beforehand", async () => {
    await scenario(async (h) => {
      const { id, outs } = await h.create(awsArgs());
      await h.provider.delete(id, Harness.state(outs));
      assert.ok(h.requests().filter((r) => r.route?.startsWith("/networking/")).every((r) => r.auth === "oauth"));
    }, { "confluentcloud:endpoint": emulator.url });
    await scenario(async (h) => {
      // The given token is a canary: the STS is told to refuse it, echoing it.
      h.control.injectFault({ method: "POST", path: STS, status: 400, body: { errors: [{ status: "400", detail: `subject token ${GIVEN_TOKEN} is not valid` }] } });
      const error = await thrown(() => h.create(awsArgs()));
      assert.match(error.message, /subject token \[REDACTED\] is not valid/);
      assertErrorClean("given token refused", error);
    }, { "confluentcloud:oauth": JSON.stringify({ oauthExternalAccessToken: GIVEN_TOKEN, oauthIdentityPoolId: POOL }), "confluentcloud:endpoint": emulator.url });
  });
});

describe("failures: errors, init errors and logs hold no secret or token", () => {
  test("a wrong client secret; an identity provider echoing the secret; an unknown pool", async () => {
    await scenario(async (h) => {
      assertErrorClean("wrong client secret", await thrown(() => h.create(awsArgs())));
    }, oauthConfig({ oauthExternalClientSecret: WRONG_SECRET }));
    await scenario(async (h) => {
      h.control.injectFault({ method: "POST", path: IDP, status: 400, body: { error: "invalid_client", error_description: `client_secret=${CLIENT.clientSecret} rejected` } });
      const error = await thrown(() => h.create(awsArgs()));
      assert.match(error.message, /client_secret=\[REDACTED\] rejected/);
      assertErrorClean("identity provider echo", error);
    });
    await scenario(async (h) => {
      assertErrorClean("unknown pool", await thrown(() => h.create(awsArgs())));
    }, oauthConfig({ oauthIdentityPoolId: "pool-nope" }));
  });

  test("the API echoing the client secret and an STS token in a 401, twice (after the renewal too)", async () => {
    await scenario(async (h) => {
      const { id, outs } = await h.create(awsArgs());
      const [token] = h.control.issuedTokens().sts;
      h.control.injectFault({ method: "GET", path: `${CONNECTIONS}/*`, status: 401, count: 2, body: { errors: [{ status: "401", detail: `bad ${CLIENT.clientSecret} / Bearer ${token}` }] } });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      assert.equal(error.status, 401);
      assertErrorClean("401 echo", error);
    });
  });

  test("FAILED while creating: the init error's properties and reasons", async () => {
    await scenario(async (h) => {
      h.control.configure({ timing: { provisioningMs: 60_000 } });
      const creating = h.provider.create(await h.check(awsArgs()));
      const view = await until(() => h.control.connections()[0], "the POST to be applied");
      h.control.setPhase(view.id, "FAILED");
      const error = await thrown(() => creating);
      assert.equal(error.id, view.id);
      assertErrorClean("FAILED init error", error);
    });
  });
});

describe("the provider as the plugin runs it: pulumi.log to the console, then serialized", () => {
  const { provider, handle, program } = asThePluginRunsIt();

  test("through the handle with OAuth: lifecycle and a failure, all through pulumi.log; serialized after use", async () => {
    emulator.control.reset();
    await withOAuthEnv(async () => {
      // Config stays on the instance configured: the handle's (the plugin's) and this one are each configured.
      await handle.configure!(configRequest(oauthConfig()));
      await provider.configure(configRequest(oauthConfig()));
      const inputs = (await provider.check({}, { ...awsArgs(), __provider: "marker" })).inputs as Props;
      const { id, outs } = await provider.create(inputs);
      emulator.control.setPhase(id, "DISCONNECTED");
      await handle.read!(id, { ...outs, __provider: "marker" });
      emulator.control.setPhase(id, null);
      await handle.configure!(configRequest(oauthConfig({ oauthExternalClientSecret: WRONG_SECRET })));
      assertErrorClean("handle wrong secret", await thrown(() => handle.delete!(id, { ...outs, __provider: "marker" })));
      await handle.configure!(configRequest(oauthConfig()));
      await provider.delete(id, { ...outs, __provider: "marker" });

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
      assert.doesNotMatch(stored, new RegExp(`${POOL}|${CLIENT.clientId}|127\\.0\\.0\\.1`), "nothing from the run is captured");
    });
    assert.match(console_.text(), /\[runtime\] .*DISCONNECTED/, "the warning went to the console");
    assertNoLeak("emulator request log", json(emulator.control.requests()));
  });

  test("nothing written to stdout or stderr during this file held a secret or a token", () => {
    assert.ok(console_.text().length > 0, "something was written (the capture works)");
    assert.ok(seenTokens.size >= 5, `tokens were issued and scanned for (${seenTokens.size})`);
    assertNoLeak("stdout/stderr", console_.text());
  });
});
