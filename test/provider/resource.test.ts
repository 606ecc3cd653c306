// The resource class under Pulumi's mocks, from the package as a program folder installed it (support/installed.ts):
// what its constructor costs the SDK, and what its errors keep. Loaded from anywhere but a node_modules folder, it
// refuses to be declared.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkAttachmentConnection as FromSource } from "../../provider/connection/resource";
import { REPO_ROOT } from "../../scripts/repo-root";
import { installedPackage, makeInstalledProgram } from "../support/installed";

class Bare extends pulumi.dynamic.Resource {}

const ARGS = { environment: { id: "env-abc123" }, privateLinkAttachment: { id: "platt-abc123" }, aws: { vpcEndpointId: "vpce-0123456789abcdef0" } };

let program: string;
let PrivateLinkAttachmentConnection: typeof FromSource;

before(async () => {
  program = makeInstalledProgram();
  ({ PrivateLinkAttachmentConnection } = installedPackage(program));
  await pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, phase: "READY" } }), call: (args) => args.inputs },
    "project",
    "stack",
    true,
  );
});

after(() => rmSync(program, { recursive: true, force: true }));

test("loaded from outside a node_modules folder (this repository's dist/provider), it is not declared: the state would hold a copy of its code", () => {
  assert.throws(() => new FromSource("from-source", ARGS), (error: Error) => {
    assert.match(error.message, /outside any node_modules folder/);
    assert.ok(error.message.includes(path.join(REPO_ROOT, "dist", "provider")), error.message);
    assert.match(error.message, /npm pack tarball/);
    return true;
  });
});

/**
 * The stack traces the SDK's debuggablePromise formats while `fn` runs, by the SDK function that made the promise:
 * transferProperties (four per property) and prepareResource (the URN and the id) make the resource's property
 * promises; registerResource makes one for the registration itself. (The SDK's own source-position trace of the
 * resource's construction is not one of them: it sets its own limit for it.)
 */
function promiseStacksDuring(fn: () => void): Record<string, number> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back; V8 calls it unbound as well
  const original = Error.prepareStackTrace;
  const made: Record<string, number> = {};
  Error.prepareStackTrace = (error, frames) => {
    const at = frames.findIndex((frame) => frame.getFunctionName() === "debuggablePromise");
    if (at >= 0) {
      const by = frames[at + 1]?.getFunctionName() ?? "?";
      made[by] = (made[by] ?? 0) + 1;
    }
    return original ? original(error, frames) : `${error}\n${frames.map((f) => `    at ${f.getFunctionName() ?? "<anonymous>"} (${f.getFileName() ?? "?"}:${f.getLineNumber() ?? "?"})`).join("\n")}`;
  };
  try {
    fn();
  } finally {
    Error.prepareStackTrace = original;
  }
  return made;
}

/** The property promises' traces among them. */
function propertyStacks(made: Record<string, number>): number {
  return (made.transferProperties ?? 0) + (made.prepareResource ?? 0);
}

test("the SDK's promises for a connection's properties record no stack trace while it is constructed", () => {
  const limit = Error.stackTraceLimit;
  const bare = promiseStacksDuring(() => new Bare({ create: async () => ({ id: "bare" }) }, "bare", { a: undefined, b: undefined }));
  assert.ok(propertyStacks(bare) >= 12, `a bare dynamic resource makes the SDK format a trace per property promise: the measure sees them (${JSON.stringify(bare)})`);
  const quiet = promiseStacksDuring(() => new PrivateLinkAttachmentConnection("quiet", ARGS));
  assert.equal(propertyStacks(quiet), 0, JSON.stringify(quiet));
  // The registration's own promise, made after the properties, keeps its trace (where a leaked registration was
  // declared): one, as for any resource.
  assert.deepEqual(quiet, { registerResource: 1 });
  assert.equal(Error.stackTraceLimit, limit, "the stack trace limit is restored");
});

test("its outputs are Outputs, resolved from the engine's answer", async () => {
  const connection = new PrivateLinkAttachmentConnection("outputs", ARGS);
  const phase = await new Promise((resolve) => connection.phase.apply(resolve));
  assert.equal(phase, "READY");
});

test("an error the SDK throws while constructing keeps a stack through the caller", () => {
  const limit = Error.stackTraceLimit;
  const thrown = (() => {
    try {
      new PrivateLinkAttachmentConnection("", ARGS);
    } catch (error) {
      return error as Error;
    }
    return assert.fail("a resource without a name was accepted");
  })();
  assert.match(thrown.message, /name/i);
  assert.match(String(thrown.stack), /resource\.test\.js/, String(thrown.stack));
  assert.equal(Error.stackTraceLimit, limit);
});

test("its args take a pulumi.Input at every depth (they are the model's inputs, each an Input)", async () => {
  const connection = new PrivateLinkAttachmentConnection("inputs", {
    displayName: pulumi.output("named"),
    environment: pulumi.output({ id: "env-abc123" }),
    privateLinkAttachment: { id: pulumi.output("platt-abc123") },
    aws: { vpcEndpointId: Promise.resolve("vpce-0123456789abcdef0") },
    timeouts: { create: pulumi.output("30m") },
    adoptExisting: pulumi.output(true),
  });
  const seen = await new Promise((resolve) => pulumi.all([connection.displayName, connection.aws]).apply(resolve));
  assert.deepEqual(seen, ["named", { vpcEndpointId: "vpce-0123456789abcdef0" }]);
});

test("an Error made by other code that runs inside the constructor (a transformation) keeps its stack", () => {
  const limit = Error.stackTraceLimit;
  let stack = "";
  new PrivateLinkAttachmentConnection("transformed", ARGS, {
    transformations: [() => {
      stack = String(new Error("made by a transformation").stack);
      return undefined;
    }],
  });
  assert.match(stack, /made by a transformation\n\s+at .*resource\.test\.js/, stack);
  assert.equal(Error.stackTraceLimit, limit);
});

test("the SDK's error for a registration the engine refuses keeps the stack of the program that declared the connection", () => {
  // In a process of its own: the SDK rejects every property of the refused resource, which this runner would count
  // as unhandled rejections of the test. The script prints what the program's runtime reports (the error's stack).
  const script = path.join(__dirname, "../support/refused-registration.js");
  const out = execFileSync(process.execPath, [script, program], { encoding: "utf8" });
  const { message, stack } = JSON.parse(out.trim().split("\n")[0]!) as { message: string; stack: string };
  assert.match(message, /failed to register new resource refused .*the engine refused it/);
  assert.match(stack, /\n\s+at declareConnection \(.*refused-registration\.js/, stack);
});

test("every property of the connection is an Output, also the clouds the args leave out", async () => {
  const connection = new PrivateLinkAttachmentConnection("clouds", ARGS);
  for (const key of ["displayName", "azure", "gcp", "errorCode", "cloudStatus"] as const) assert.ok(pulumi.Output.isInstance(connection[key]), key);
  const seen = await new Promise((resolve) => connection.aws.apply(resolve));
  assert.deepEqual(seen, { vpcEndpointId: "vpce-0123456789abcdef0" });
});

test("get: a resource read by id (the engine's read), with every property an Output; isInstance tells it apart", async () => {
  const existing = PrivateLinkAttachmentConnection.get("existing", "env-abc123/plattc-abc123");
  const other = PrivateLinkAttachmentConnection.get("existing-too", "plattc-abc124", { environment: { id: "env-abc123" } });
  // The mocks answer a read with the state they are given plus phase (test/engine/read-existing.test.ts reads a real one).
  const phases = await new Promise((resolve) => pulumi.all([existing.phase, other.phase]).apply(resolve));
  assert.deepEqual(phases, ["READY", "READY"]);
  for (const key of ["displayName", "aws", "azure", "gcp", "phase", "resourceName"] as const) assert.ok(pulumi.Output.isInstance(existing[key]), key);
  assert.equal(PrivateLinkAttachmentConnection.isInstance(existing), true);
  assert.equal(PrivateLinkAttachmentConnection.isInstance(new Bare({ create: async () => ({ id: "bare" }) }, "not-a-connection", {})), false);
  assert.equal(PrivateLinkAttachmentConnection.isInstance({ __pulumiType: "something:else" }), false);
  assert.equal(PrivateLinkAttachmentConnection.isInstance(undefined), false);
});
