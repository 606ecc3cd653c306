// The emulator as a package entry point: `require("pulumi-confluent-plattc/emulator")` and its options contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

import { DEFAULTS, startEmulator, type Emulator } from "../../emulator";
import { basic, Caller } from "../support/http";
import { ManualClock } from "../support/emulator";
import { REPO_ROOT } from "../../scripts/repo-root";

const REPO = REPO_ROOT;

const CONNECTIONS = "/networking/v1/private-link-attachment-connections";
const ATTACHMENTS = "/networking/v1/private-link-attachments";
/** Root of the compiled tree this test belongs to (the repo's dist/, or a private outDir). */
const OUT_ROOT = path.resolve(__dirname, "../..");

const readJson = (file: string): any => JSON.parse(fs.readFileSync(path.join(REPO, file), "utf8"));

async function freePort(host = "127.0.0.1"): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function canBind(host: string): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, host, () => server.close(() => resolve(true)));
  });
}

async function using<T>(emulator: Emulator, fn: (e: Emulator) => Promise<T>): Promise<T> {
  try {
    return await fn(emulator);
  } finally {
    await emulator.close();
  }
}

test("package.json exports ./emulator at ./dist/emulator/index.js, exactly where tsc compiles emulator/index.ts", () => {
  const pkg = readJson("package.json");
  assert.equal(pkg.name, "pulumi-confluent-plattc");
  assert.deepEqual(pkg.exports["./emulator"], { types: "./dist/emulator/index.d.ts", default: "./dist/emulator/index.js" });
  assert.equal(pkg.bin["confluent-emulator"], "dist/emulator/cli.js");
  assert.ok(pkg.files.includes("dist/emulator"), "the emulator is published");

  const tsconfig = readJson("tsconfig.json");
  assert.equal(path.normalize(tsconfig.compilerOptions.outDir), "dist");
  assert.equal(path.normalize(tsconfig.compilerOptions.rootDir), ".");
  assert.equal(tsconfig.compilerOptions.module.toLowerCase(), "commonjs", "require() of the export needs CommonJS");

  // ./dist/emulator/index.js ↔ emulator/index.ts in the sources ↔ emulator/index.js in this compiled tree
  for (const target of [pkg.exports["./emulator"].default, pkg.exports["./emulator"].types, pkg.bin["confluent-emulator"]]) {
    const inOut = path.relative("dist", path.normalize(target));
    assert.ok(!inOut.startsWith(".."), `${target} is outside dist/`);
    assert.ok(fs.existsSync(path.join(REPO, inOut.replace(/\.d\.ts$|\.js$/, ".ts"))), `no source for ${target}`);
    assert.ok(fs.existsSync(path.join(OUT_ROOT, inOut)), `${inOut} was not built into ${OUT_ROOT}`);
  }
  assert.match(fs.readFileSync(path.join(OUT_ROOT, "emulator/cli.js"), "utf8"), /^#!\/usr\/bin\/env node\n/, "the bin needs its shebang");
  assert.equal(typeof require(path.join(OUT_ROOT, "emulator/index.js")).startEmulator, "function");
});

test('require("pulumi-confluent-plattc/emulator") self-resolves through exports to the built dist', (t) => {
  let resolved: string;
  try {
    resolved = require.resolve("pulumi-confluent-plattc/emulator");
  } catch (e) {
    // A package can only self-reference from inside its own package scope (below its package.json).
    if (!OUT_ROOT.startsWith(REPO + path.sep)) {
      t.skip(`compiled outside the repo (${OUT_ROOT}): there is no package scope to self-reference from`);
      return;
    }
    throw e;
  }
  assert.equal(resolved, path.join(REPO, "dist/emulator/index.js"));
  const mod = require("pulumi-confluent-plattc/emulator") as typeof import("../../emulator");
  assert.equal(typeof mod.startEmulator, "function");
  assert.deepEqual(mod.DEFAULTS.timing, DEFAULTS.timing);
});

test("startEmulator() with no options: 127.0.0.1, an ephemeral port, env-emu000 with an AWS, an Azure and a GCP attachment, the DEFAULTS", async () => {
  assert.deepEqual(DEFAULTS.timing, { provisioningMs: 3000, deprovisioningMs: 1000 });
  assert.deepEqual(DEFAULTS.rateLimit, { requests: 600, windowMs: 60_000 });
  assert.equal(DEFAULTS.quirks, false);
  assert.equal(DEFAULTS.host, "127.0.0.1");
  assert.equal(DEFAULTS.port, 0);

  const [one, two] = await Promise.all([startEmulator(), startEmulator()]);
  try {
    await using(one, async (e) => {
      assert.match(e.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
      assert.equal(Number(new URL(e.url).port), e.port);
      assert.ok(e.port > 0);
      assert.notEqual(e.port, two.port, "each start picks its own free port");
      assert.deepEqual(e.environments, ["env-emu000"]);
      assert.deepEqual(e.privateLinkAttachments.map((a) => [a.cloud, a.environmentId]), [["AWS", "env-emu000"], ["AZURE", "env-emu000"], ["GCP", "env-emu000"]]);
      assert.deepEqual(e.privateLinkAttachments, DEFAULTS.privateLinkAttachments);
      assert.deepEqual(e.credentials, DEFAULTS.credentials);
      assert.deepEqual(e.accessTokens, DEFAULTS.accessTokens);
      assert.deepEqual(e.timing, DEFAULTS.timing);
      assert.deepEqual(e.rateLimit, DEFAULTS.rateLimit);
      assert.equal(e.quirks, false);

      const api = new Caller(e.url, basic(e.credentials.apiKey, e.credentials.apiSecret)); // strict: every answer checked
      const attachments = await api.call(`${ATTACHMENTS}?environment=env-emu000`);
      assert.equal(attachments.status, 200);
      assert.deepEqual(attachments.body.data.map((a: { id: string }) => a.id).sort(), e.privateLinkAttachments.map((a) => a.id).sort());
      assert.equal(attachments.headers.get("x-ratelimit-limit"), "600");
      const aws = e.privateLinkAttachments.find((a) => a.cloud === "AWS")!;
      const created = await api.call(CONNECTIONS, {
        method: "POST",
        body: { spec: { cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0aaaabbbbccccdddd" }, environment: { id: "env-emu000" }, private_link_attachment: { id: aws.id } } },
      });
      assert.equal(created.status, 202);
      assert.equal(created.body.status.phase, "PROVISIONING");
      const bearer = await api.call(`${CONNECTIONS}?environment=env-emu000`, { auth: `Bearer ${e.accessTokens[0]}` });
      assert.equal(bearer.body.data.length, 1);
    });
  } finally {
    await two.close();
  }
});

test("every option of the contract takes effect: port, credentials, accessTokens, environments, privateLinkAttachments, timing, rateLimit", async () => {
  const clock = new ManualClock();
  const port = await freePort();
  const emulator = await startEmulator({
    port,
    credentials: { apiKey: "OTHERKEY", apiSecret: "other-secret" },
    accessTokens: ["token-a", "token-b"],
    environments: ["env-one", "env-two"],
    privateLinkAttachments: [
      { id: "platt-azone", environmentId: "env-one", cloud: "AZURE", region: "westeurope", displayName: "azure-one" },
      { id: "platt-gthree", environmentId: "env-three", cloud: "GCP", region: "europe-west4" },
    ],
    timing: { provisioningMs: 5000, deprovisioningMs: 2000 },
    rateLimit: { requests: 12, windowMs: 30_000 },
    clock,
  });
  await using(emulator, async (e) => {
    assert.equal(e.port, port);
    assert.equal(e.url, `http://127.0.0.1:${port}`);
    assert.deepEqual(e.environments, ["env-one", "env-two", "env-three"]);
    assert.deepEqual(e.timing, { provisioningMs: 5000, deprovisioningMs: 2000 });
    assert.deepEqual(e.rateLimit, { requests: 12, windowMs: 30_000 });

    const api = new Caller(e.url, basic("OTHERKEY", "other-secret"));
    // credentials and tokens
    assert.equal((await api.call(`${CONNECTIONS}?environment=env-one`)).status, 200);
    assert.equal((await api.call(`${CONNECTIONS}?environment=env-one`, { auth: basic(DEFAULTS.credentials.apiKey, DEFAULTS.credentials.apiSecret) })).status, 401);
    assert.equal((await api.call(`${CONNECTIONS}?environment=env-one`, { auth: "Bearer token-b" })).status, 200);
    assert.equal((await api.call(`${CONNECTIONS}?environment=env-one`, { auth: `Bearer ${DEFAULTS.accessTokens[0]}` })).status, 401);
    // environments (the default one is gone) and attachments (no defaults when environments are given)
    assert.equal((await api.call(`${CONNECTIONS}?environment=env-two`)).status, 200);
    assert.equal((await api.call(`${CONNECTIONS}?environment=env-emu000`)).status, 403);
    const azure = await api.call(`${ATTACHMENTS}/platt-azone?environment=env-one`);
    assert.deepEqual([azure.status, azure.body.spec.cloud, azure.body.spec.region, azure.body.spec.display_name], [200, "AZURE", "westeurope", "azure-one"]);
    const three = await api.call(`${ATTACHMENTS}?environment=env-three`);
    assert.deepEqual(three.body.data.map((a: { id: string }) => a.id), ["platt-gthree"]);
    assert.equal((await api.call(`${ATTACHMENTS}/platt-emuaws?environment=env-one`)).status, 404);
    // 7 requests of the window used so far (the two 401s are not counted)

    // timing, on the injected clock
    const created = await api.call(CONNECTIONS, {
      method: "POST",
      body: {
        spec: {
          cloud: { kind: "GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: "123456789012" },
          environment: { id: "env-three" },
          private_link_attachment: { id: "platt-gthree" },
        },
      },
    });
    assert.equal(created.status, 202);
    const read = `${CONNECTIONS}/${created.body.id}?environment=env-three`;
    clock.advance(4999);
    assert.equal((await api.call(read)).body.status.phase, "PROVISIONING");
    clock.advance(1);
    assert.equal((await api.call(read)).body.status.phase, "READY");
    const deleted = await api.call(read, { method: "DELETE" });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.headers.get("x-ratelimit-remaining"), "1", "11 of 12 used");
    const last = await api.call(read);
    assert.equal(last.body.status.phase, "DEPROVISIONING");
    assert.equal(last.headers.get("x-ratelimit-remaining"), "0");
    // rate limit: 12 per window of 30 s, and the window runs on the injected clock too (5 s have passed)
    const throttled = await api.call(read);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get("x-ratelimit-limit"), "12");
    assert.equal(throttled.headers.get("retry-after"), "25");
    clock.advance(1999);
    assert.equal((await api.call(read)).status, 429, "still the same window");
    clock.advance(30_000 - 5000 - 1999);
    assert.equal((await api.call(read)).status, 404, "deprovisioningMs 2000 has passed, and a new window began");
  });
});

test("host and quirks take effect", async (t) => {
  await using(await startEmulator({ quirks: true }), async (e) => {
    assert.equal(e.quirks, true);
    const api = new Caller(e.url, basic(e.credentials.apiKey, e.credentials.apiSecret), false);
    const created = await api.call(CONNECTIONS, {
      method: "POST",
      body: { spec: { cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0123" }, environment: { id: "env-emu000" }, private_link_attachment: { id: "platt-emuaws" } } },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.spec.cloud.kind, "networking.v1.AwsPrivateLinkAttachmentConnection");
  });

  if (!(await canBind("127.0.0.2"))) {
    t.skip("127.0.0.2 is not a local address here");
    return;
  }
  await using(await startEmulator({ host: "127.0.0.2" }), async (e) => {
    assert.match(e.url, /^http:\/\/127\.0\.0\.2:[0-9]+$/);
    const ok = await fetch(`${e.url}/_emulator/health`);
    assert.equal(ok.status, 200);
    await assert.rejects(fetch(`http://127.0.0.1:${e.port}/_emulator/health`), TypeError, "it listens on the given host only");
  });
  if (await canBind("::1")) {
    await using(await startEmulator({ host: "::1" }), async (e) => {
      assert.match(e.url, /^http:\/\/\[::1\]:[0-9]+$/);
      assert.equal((await fetch(`${e.url}/_emulator/health`)).status, 200);
    });
  }
});

test("options that cannot work are refused at start", async () => {
  await assert.rejects(startEmulator({ port: 70_000 }), /port/);
  await assert.rejects(startEmulator({ rateLimit: { requests: 0, windowMs: 1000 } }), /rateLimit/);
  await assert.rejects(startEmulator({ timing: { provisioningMs: -1 } }), /timing/);
  await assert.rejects(
    startEmulator({ privateLinkAttachments: [{ id: "platt-x", environmentId: "env-x", cloud: "IBM" as never, region: "r" }] }),
    /cloud/,
  );
});
