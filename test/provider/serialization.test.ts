// Pyramid item 4: the provider as Pulumi stores it. `dynamic.Resource` serializes the provider object with
// `serializeFunction(() => provider, { allowSecrets: true })` into `__provider`, and the dynamic-provider process
// revives it with `requireFromString(text).handler()`. This file proves, on the revived object:
//   (a) the text holds no credential (env and configure() canaries set before serializing),
//   (b) it runs the whole lifecycle against the emulator when configured like the plugin configures it,
//   (c) its errors keep message, stack and `instanceof Error`, incl. the init-error fields the engine reads,
// and records the text's size and what it copies by value (this package's modules) or requires (node_modules).
// The serializer cannot copy everything: a Symbol held in a module-level constant came back as
// `Object.create(Symbol.prototype)` and made every configure() throw in the plugin, which (b) and (c) would catch.
// The last test serializes from an npm-installed layout, where the package's modules are required, not copied.
//
// Run from the repository root: require-from-string resolves the text's `require()`s from the cwd, like the
// plugin does from the program's directory.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import requireFromString from "require-from-string";
import { startEmulator, type Emulator } from "../../emulator";
import { PrivateLinkAttachmentConnectionProvider } from "../../provider/provider";
import handle = require("../../provider/handle");
import { AWS_ATTACHMENT, connectionFor, ENV, vpce } from "../support/emulator";
import { installedProgram, runProgram } from "../support/installed";
import { providerTextFromResource } from "../support/plugin";

type Props = Record<string, unknown>;
type Revived = Required<Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">>;

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
  return { config: { get: (key: string) => values[key], require: (key: string) => values[key] ?? assert.fail(`missing ${key}`) } } as unknown as pulumi.dynamic.ConfigureRequest;
}

function setEnv(values: Partial<Record<(typeof ENV_NAMES)[number], string>>): void {
  for (const name of ENV_NAMES) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
}

function revive(text: string): Revived {
  return (requireFromString(text) as { handler(): Revived }).handler();
}

let direct: pulumi.runtime.SerializedFunction;
let handleText: string;
let fromResource: string;
let emulator: Emulator;
const savedEnv = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));

before(async () => {
  // Canaries everywhere a credential could come from, before anything is serialized (and before the resource
  // module, whose module-level provider the resource class serializes, is loaded).
  setEnv(ENV_CANARIES);
  const provider = new PrivateLinkAttachmentConnectionProvider();
  await provider.configure(configRequest(CONFIG_CANARIES));
  direct = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  {
    // Named as dynamic.Resource names it (`() => provider`), so the texts compare equal.
    const provider = handle;
    handleText = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
  }
  fromResource = await providerTextFromResource();
  setEnv({});
  emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 300 } });
});

after(async () => {
  await emulator?.close();
  setEnv(savedEnv);
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

test("(a) the serialized provider holds no credential, from the environment or from configure()", (t) => {
  assert.equal(direct.containsSecrets, false);
  assert.equal(direct.exportName, "handler");
  for (const [label, text] of [["serializeFunction(() => provider)", direct.text], ["dynamic.Resource __provider", fromResource], ["the handle", handleText]] as const) {
    for (const canary of CANARIES) assert.ok(!text.includes(canary), `${label} contains the canary ${canary}`);
    // Not even the names of the live values: the configured config object is process-global, never captured.
    assert.doesNotMatch(text, /canary/i, `${label} mentions a canary`);
  }
  // The resource carries the handle module (provider/handle.ts), which forwards to a provider created at run time.
  assert.equal(fromResource, handleText);
  t.diagnostic(`serialized provider: ${Buffer.byteLength(fromResource, "utf8")} bytes (UTF-8) in each resource's state`);
});

test("(a) this package's modules are copied by value; only node_modules and Node built-ins are require()d", (t) => {
  const requires = [...new Set([...fromResource.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))].sort();
  t.diagnostic(`require()s in the serialized provider: ${requires.join(", ")}`);
  for (const spec of requires) {
    assert.ok(!spec.startsWith("."), `a relative require would not resolve in the plugin: ${spec}`);
    assert.match(spec, /^(@pulumi\/pulumi\/|axios|axios-retry$|http$|https$|url$|async_hooks$|crypto$|node:)/, `unexpected module reference ${spec}`);
  }
  // Code from provider/*.ts travels as source text.
  for (const fn of ["resolveSettings", "checkInputs", "diffConnection", "waitForReady", "createClient", "throttleFor", "repairError"]) {
    assert.match(fromResource, new RegExp(`function /\\*${fn}\\*/`), `${fn} is not copied into the text`);
  }
  assert.doesNotMatch(fromResource, /\.build\/|\/work\/main|provider\/provider/, "the text refers to a local file path");
});

test("(b) the revived provider runs check → create → read → update → delete against the emulator", async () => {
  setEnv({});
  const provider = revive(fromResource);
  assert.ok(!(provider instanceof PrivateLinkAttachmentConnectionProvider), "revived from text, not this process's class");
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
  const provider = revive(fromResource);

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
 * A program that installed this package from npm: the provider's modules live under node_modules, so the
 * serializer does not copy them by value but emits `require("pulumi-confluent-plattc/dist/provider/<m>.js")`,
 * and maps that path through the package's `exports` (runtime/closure/package.js getModuleFromPath). Built here
 * from package.json and this build's provider/ (the same files dist/provider holds), then serialized, revived and
 * used in a child process whose cwd is the "program".
 */
test("(a) installed from npm: each resource carries a require() of the installed handle, ≤ 2 KB", {}, async (t) => {
  const program = installedProgram(t);
  const result = await runProgram<{
    error?: string; bytes: number; requires: string[]; failures: unknown[]; classRequires: string[]; classFailures: number;
  }>(program, `
const pulumi = require("@pulumi/pulumi");
const requireFromString = require("require-from-string");
const { PrivateLinkAttachmentConnectionProvider } = require("pulumi-confluent-plattc");
const handle = require("pulumi-confluent-plattc/dist/provider/handle.js");
const provider = new PrivateLinkAttachmentConnectionProvider();
const requiresOf = (text) => [...new Set([...text.matchAll(/require\\("([^"]+)"\\)/g)].map((m) => m[1]))];
(async () => {
  // The class itself still serializes (by value, with its imports by reference) for users who pass it directly.
  const classText = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
  const { text } = await pulumi.runtime.serializeFunction(() => handle, { allowSecrets: true });
  const revived = requireFromString(text).handler();
  await revived.configure({ config: { get: () => undefined } });
  const checked = await revived.check({}, { environment: { id: "env-abc123" }, privateLinkAttachment: { id: "platt-abc123" }, aws: { vpcEndpointId: "vpce-0123456789abcdef0" } });
  const classChecked = await requireFromString(classText).handler().check({}, { environment: { id: "env-a" } });
  console.log(JSON.stringify({ bytes: Buffer.byteLength(text), requires: requiresOf(text), failures: checked.failures, classRequires: requiresOf(classText), classFailures: classChecked.failures.length }));
})().catch((e) => console.log(JSON.stringify({ error: String(e && e.message || e) })));
`);
  assert.equal(result.error, undefined, result.error);
  t.diagnostic(`installed layout: ${result.bytes} bytes; require()s: ${result.requires.join(", ")}`);
  assert.deepEqual(result.failures, []);
  assert.deepEqual(result.requires, ["pulumi-confluent-plattc/dist/provider/handle.js"]);
  assert.ok(result.bytes <= 2048, `${result.bytes} bytes of __provider per resource`);
  assert.ok(result.classRequires.some((r) => r.startsWith("pulumi-confluent-plattc/dist/provider/")), "the class references the package's modules");
  assert.ok(result.classFailures > 0, "the class revived from its text validates input");
});

