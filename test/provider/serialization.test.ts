// Pyramid item 4: the provider as Pulumi stores it. `dynamic.Resource` serializes the provider object with
// `serializeFunction(() => provider, { allowSecrets: true })` into `__provider`, and the dynamic-provider process
// revives it with `requireFromString(text).handler()`, resolving the text's require()s in the program's folder.
// On the built package as a program folder installed it (support/installed.ts), this file proves:
//   (a) the text is a require() of the installed handle and of nothing else, at most 1 KB, and holds no credential
//       (env and configure() canaries set before it is made, in this process and in a program's);
//   (b) revived, it is the installed handle itself, and it runs the whole lifecycle against the emulator when
//       configured like the plugin configures it, reading credentials from the environment when configure has none;
//   (c) its errors keep message, stack and `instanceof Error`, incl. the init-error fields the engine reads.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../../emulator";
import { REPO_ROOT } from "../../scripts/repo-root";
import { AWS_ATTACHMENT, connectionFor, ENV, vpce } from "../support/emulator";
import { INSTALLED_HANDLE, MAX_PROVIDER_BYTES } from "../support/engine";
import { installedHandle, installedProgram, makeInstalledProgram, revive, runProgram } from "../support/installed";
import { providerTextFromResource } from "../support/plugin";

type Props = Record<string, unknown>;

const ENV_NAMES = ["CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET", "CONFLUENT_CLOUD_ACCESS_TOKEN", "CONFLUENT_CLOUD_ENDPOINT"] as const;
const ENV_CANARIES = {
  CONFLUENT_CLOUD_API_KEY: "ENVCANARYKEY7Q3Z",
  CONFLUENT_CLOUD_API_SECRET: "env-canary-secret-5b4a3c2d1e0f",
  CONFLUENT_CLOUD_ACCESS_TOKEN: "env-canary-token-8e7d6c5b",
  CONFLUENT_CLOUD_ENDPOINT: "https://env-canary-endpoint.example",
};
const CONFIG_CANARIES = {
  "confluentcloud:cloudApiKey": "CFGCANARYKEY2W9X",
  "confluentcloud:cloudApiSecret": "cfg-canary-secret-0a9b8c7d6e5f",
  "confluentcloud:accessToken": "cfg-canary-token-4f3e2d1c",
  "confluentcloud:endpoint": "https://cfg-canary-endpoint.example",
};
const CANARIES = [
  ...Object.values(ENV_CANARIES),
  ...Object.values(CONFIG_CANARIES),
  // …and the Authorization values built from them.
  Buffer.from(`${ENV_CANARIES.CONFLUENT_CLOUD_API_KEY}:${ENV_CANARIES.CONFLUENT_CLOUD_API_SECRET}`).toString("base64"),
  Buffer.from(`${CONFIG_CANARIES["confluentcloud:cloudApiKey"]}:${CONFIG_CANARIES["confluentcloud:cloudApiSecret"]}`).toString("base64"),
];

/** What the plugin hands `configure`: a pulumi.dynamic Config over the stack config (secrets already unwrapped). */
function configRequest(values: Record<string, string | undefined>): pulumi.dynamic.ConfigureRequest {
  return { config: { get: (key: string) => values[key], require: (key: string) => values[key] ?? assert.fail(`missing ${key}`) } };
}

function setEnv(values: Partial<Record<(typeof ENV_NAMES)[number], string>>): void {
  for (const name of ENV_NAMES) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
}

function requiresOf(text: string): string[] {
  return [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
}

let program: string;
let handleText: pulumi.runtime.SerializedFunction;
let fromResource: string;
let emulator: Emulator;
const savedEnv = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));

before(async () => {
  program = makeInstalledProgram();
  // Canaries everywhere a credential could come from, before anything is serialized: the environment, and the
  // stack config the installed handle (the one the resources carry) was configured with.
  setEnv(ENV_CANARIES);
  const handle = installedHandle(program);
  await handle.configure!(configRequest(CONFIG_CANARIES));
  {
    // Named as dynamic.Resource names it (`() => provider`), so the texts compare equal.
    const provider = handle;
    handleText = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  }
  fromResource = await providerTextFromResource(program);
  setEnv({});
  emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 300 } });
});

after(async () => {
  await emulator?.close();
  setEnv(savedEnv);
  rmSync(program, { recursive: true, force: true });
});

function emulatorConfig(): Record<string, string> {
  return {
    "confluentcloud:cloudApiKey": emulator.credentials.apiKey,
    "confluentcloud:cloudApiSecret": emulator.credentials.apiSecret,
    "confluentcloud:endpoint": emulator.url,
  };
}

function awsArgs(vpcEndpointId: string, extra: Props = {}): Props {
  return { environment: { id: ENV }, privateLinkAttachment: { id: AWS_ATTACHMENT }, aws: { vpcEndpointId }, ...extra };
}

test("(a) __provider is a require() of the installed handle and nothing else, at most 1 KB, holding no credential", (t) => {
  assert.equal(handleText.containsSecrets, false);
  assert.equal(handleText.exportName, "handler");
  // What the resource carries is the handle, serialized as dynamic.Resource serializes it.
  assert.equal(fromResource, handleText.text);
  const bytes = Buffer.byteLength(fromResource, "utf8");
  t.diagnostic(`__provider: ${bytes} bytes (UTF-8) in each resource's state; require()s: ${requiresOf(fromResource).join(", ")}`);
  assert.ok(bytes <= MAX_PROVIDER_BYTES, `${bytes} bytes`);
  assert.deepEqual(requiresOf(fromResource), [INSTALLED_HANDLE]);
  // No code is copied: no function of provider/*.ts travels as text.
  assert.doesNotMatch(fromResource, /function \/\*(checkInputs|diffConnection|resolveSettings|onResource|provider)\*\//);
  for (const canary of CANARIES) assert.ok(!fromResource.includes(canary), `__provider contains the canary ${canary}`);
  assert.doesNotMatch(fromResource, /canary/i, "__provider mentions a canary");
  for (const local of [program, REPO_ROOT, "/tmp/"]) assert.ok(!fromResource.includes(local), `__provider names the local path ${local}`);
});

test("(b) revived, __provider is the installed handle: it runs check → create → read → update → delete against the emulator", async () => {
  setEnv({});
  const provider = revive(program, fromResource);
  assert.equal(provider, installedHandle(program), "the text requires the installed module: no copy of it");
  await provider.configure(configRequest(emulatorConfig()));

  const endpoint = vpce();
  const checked = await provider.check({}, { ...awsArgs(endpoint, { displayName: "serialized-a" }), __provider: fromResource });
  assert.deepEqual(checked.failures, []);
  assert.equal(checked.inputs?.__provider, fromResource);
  const news = checked.inputs as Props;

  const created = await provider.create(news);
  assert.match(created.id, /^plattc-/);
  const outs = created.outs as Props;
  assert.equal(outs.phase, "READY");
  assert.equal(outs.displayName, "serialized-a");
  assert.equal(emulator.control.connection(created.id)?.phase, "READY");
  const state = { ...outs, __provider: fromResource };

  const read = await provider.read(created.id, state);
  assert.equal(read.id, created.id);
  assert.equal((read.props as Props).displayName, "serialized-a");
  assert.equal((read.inputs as Props).displayName, "serialized-a");

  const renamed = { ...news, displayName: "serialized-b" };
  const diff = await provider.diff(created.id, state, renamed);
  assert.equal(diff.changes, true);
  assert.deepEqual(diff.replaces, []);
  const updated = await provider.update(created.id, state, renamed);
  assert.equal((updated.outs as Props).displayName, "serialized-b");
  assert.equal(emulator.control.connection(created.id)?.displayName, "serialized-b");

  await provider.delete(created.id, { ...(updated.outs as Props), __provider: fromResource });
  assert.equal(emulator.control.connection(created.id), undefined, "delete returned before the connection was gone");
  const methods = emulator.control.requests().filter((r) => r.path.startsWith("/networking/")).map((r) => `${r.method} ${r.status}`);
  assert.ok(methods.includes("POST 202") && methods.includes("PATCH 200") && methods.includes("DELETE 204"), methods.join(", "));
  assert.ok(emulator.control.requests().every((r) => !r.path.startsWith("/networking/") || r.auth === "basic"), "every API call authenticated with the configured key");
});

test("(b) revived, it reads the credentials from the environment at call time when configure gave none", async (t) => {
  const provider = revive(program, fromResource);
  await provider.configure(configRequest({ "confluentcloud:endpoint": emulator.url }));
  setEnv({ CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret });
  t.after(() => setEnv({}));
  emulator.control.clearRequests();
  const endpoint = vpce();
  const news = (await provider.check({}, { ...awsArgs(endpoint, { displayName: "from-env" }), __provider: fromResource })).inputs as Props;
  const created = await provider.create(news);
  assert.equal((created.outs as Props).phase, "READY");
  await provider.delete(created.id, { ...(created.outs as Props), __provider: fromResource });
  const api = emulator.control.requests().filter((r) => r.path.startsWith("/networking/"));
  assert.ok(api.length >= 3 && api.every((r) => r.auth === "basic"), JSON.stringify(api));
});

function assertRealError(e: unknown, message: RegExp): asserts e is Error & Props {
  assert.ok(e instanceof Error, `not instanceof Error: ${Object.prototype.toString.call(e)} ${JSON.stringify(e)}`);
  assert.match(e.message, message);
  assert.equal(typeof e.stack, "string");
  assert.ok(e.stack!.includes(e.message.split("\n")[0]!), `the stack does not start with the message: ${e.stack}`);
  assert.equal(String(e).startsWith(`${e.name}: `), true);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return assert.fail("expected a rejection");
}

test("(c) errors of the revived provider keep message, stack and instanceof Error", async (t) => {
  const provider = revive(program, fromResource);

  await t.test("missing credentials", async () => {
    setEnv({});
    await provider.configure(configRequest({}));
    const e = await rejection(provider.read("plattc-abc123", { environment: { id: ENV }, __provider: fromResource }));
    assertRealError(e, /credentials are missing/);
    assert.equal(e.name, "MissingCredentialsError");
    assert.match(e.message, /pulumi config set confluentcloud:cloudApiKey/);
    assert.match(e.message, /CONFLUENT_CLOUD_API_KEY/);
    assert.equal(emulator.control.requests().filter((r) => r.path.includes("plattc-abc123")).length, 0, "a request was sent without credentials");
  });

  await t.test("an ApiError from a 403 (the read and the list that checks it both refused)", async () => {
    await provider.configure(configRequest(emulatorConfig()));
    emulator.control.injectFault({ method: "GET", path: "/networking/v1/private-link-attachment-connections*", status: 403, count: 2 });
    const e = await rejection(provider.read("plattc-abc123", { environment: { id: ENV }, __provider: fromResource }));
    emulator.control.clearFaults();
    assertRealError(e, /403/);
    assert.equal(e.name, "ApiError");
    assert.equal(e.status, 403);
    assert.equal(e.operation, "read");
    assert.match(e.message, /plattc-abc123/);
    assert.match(e.message, /the credentials lack access/);
    assert.equal(typeof e.requestId, "string");
  });

  await t.test("the init error of a connection that FAILED", async () => {
    await provider.configure(configRequest(emulatorConfig()));
    emulator.control.configure({ timing: { provisioningMs: 600_000 } }); // stays PROVISIONING until forced
    try {
      const endpoint = vpce();
      const news = { ...awsArgs(endpoint, { displayName: "will-fail", timeouts: { create: "20s" } }), __provider: fromResource };
      const creating = rejection(provider.create(news));
      const id = await connectionFor(emulator, endpoint);
      emulator.control.setPhase(id, "FAILED");
      const e = await creating;
      assertRealError(e, new RegExp(`${id} FAILED`));
      assert.equal(e.id, id);
      const properties = e.properties as Props;
      assert.equal(properties.__provider, fromResource, "the init error must carry __provider, or the engine cannot revive the provider for it");
      assert.equal(properties.phase, "FAILED");
      assert.equal(properties.errorCode, "PROVISIONING_FAILED");
      assert.equal(properties.displayName, "will-fail");
      assert.deepEqual(properties.timeouts, { create: "20s" });
      const reasons = e.reasons as string[];
      assert.ok(Array.isArray(reasons) && reasons.includes("error_code: PROVISIONING_FAILED"), JSON.stringify(reasons));
      emulator.control.deleteConnection(id);
    } finally {
      emulator.control.configure({ timing: { provisioningMs: 300 } });
    }
  });
});


/**
 * A program in the folder, run as Pulumi runs one (its cwd the program's): the serializer finds the handle under
 * ./node_modules and writes `require("pulumi-confluent-plattc/dist/provider/handle.js")`, mapping that path through
 * the package's `exports` (runtime/closure/package.js getModuleFromPath). The program declares a connection under
 * Pulumi's mocks after configuring the handle with canaries, with canaries in its environment, and revives the
 * `__provider` its resource registered as the plugin does.
 */
test("(a) in a program that installed the package, each resource carries a require() of the installed handle, ≤ 1 KB", async (t) => {
  const program = installedProgram(t);
  const result = await runProgram<{
    error?: string; text: string; same: boolean; failures: unknown[]; classRequires: string[]; classFailures: number;
  }>(program, `
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const revive = (text, file) => { fs.writeFileSync(file, text); return require("./" + file).handler(); };
const requiresOf = (text) => [...new Set([...text.matchAll(/require\\("([^"]+)"\\)/g)].map((m) => m[1]))];
const CONFIG = ${JSON.stringify(CONFIG_CANARIES)};
(async () => {
  let registered;
  const provided = new Promise((resolve) => (registered = resolve));
  await pulumi.runtime.setMocks({ newResource: (args) => { registered(args.inputs.__provider); return { id: "c-id", state: args.inputs }; }, call: (args) => args.inputs }, "project", "stack", false);
  const { PrivateLinkAttachmentConnection, PrivateLinkAttachmentConnectionProvider } = require("pulumi-confluent-plattc");
  const handle = require("pulumi-confluent-plattc/dist/provider/handle.js");
  await handle.configure({ config: { get: (key) => CONFIG[key] } });
  new PrivateLinkAttachmentConnection("c", { environment: { id: "env-abc123" }, privateLinkAttachment: { id: "platt-abc123" }, aws: { vpcEndpointId: "vpce-0123456789abcdef0" } });
  const text = await provided;
  const revived = revive(text, "provider-text.js");
  const checked = await revived.check({}, { environment: { id: "env-abc123" }, privateLinkAttachment: { id: "platt-abc123" }, aws: { vpcEndpointId: "vpce-0123456789abcdef0" } });
  // The class itself still serializes (by value, with its imports by reference) for users who pass it directly.
  const provider = new PrivateLinkAttachmentConnectionProvider();
  const classText = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
  const classChecked = await revive(classText, "class-text.js").check({}, { environment: { id: "env-a" } });
  console.log(JSON.stringify({ text, same: revived === handle, failures: checked.failures, classRequires: requiresOf(classText), classFailures: classChecked.failures.length }));
})().catch((e) => console.log(JSON.stringify({ error: String(e && e.stack || e) })));
`, ENV_CANARIES);
  assert.equal(result.error, undefined, result.error);
  const bytes = Buffer.byteLength(result.text, "utf8");
  t.diagnostic(`in a program: ${bytes} bytes; require()s: ${requiresOf(result.text).join(", ")}`);
  assert.deepEqual(requiresOf(result.text), [INSTALLED_HANDLE]);
  assert.ok(bytes <= MAX_PROVIDER_BYTES, `${bytes} bytes of __provider per resource`);
  assert.equal(result.text, fromResource, "the same text as a resource declared in this process");
  for (const canary of CANARIES) assert.ok(!result.text.includes(canary), `__provider contains the canary ${canary}`);
  assert.ok(result.same, "revived, the text is the installed handle");
  assert.deepEqual(result.failures, []);
  assert.ok(result.classRequires.some((r) => r.startsWith("pulumi-confluent-plattc/dist/provider/")), "the class references the package's modules");
  assert.ok(result.classFailures > 0, "the class revived from its text validates input");
});
