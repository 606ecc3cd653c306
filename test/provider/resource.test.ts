// The resource class under Pulumi's mocks, from the package as a program folder installed it (support/installed.ts):
// what its constructor costs the SDK, and what its errors keep. Loaded from anywhere but a node_modules folder, it
// refuses to be declared.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkAttachmentConnection as FromSource } from "../../provider/resource";
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
 * How many stack traces the SDK's debuggablePromise formats while `fn` runs. (The SDK's own source-position trace
 * of the resource's construction is not one of them: it sets its own limit for it.)
 */
function promiseStacksDuring(fn: () => void): number {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back; V8 calls it unbound as well
  const original = Error.prepareStackTrace;
  let formatted = 0;
  Error.prepareStackTrace = (error, frames) => {
    if (frames.some((frame) => frame.getFunctionName() === "debuggablePromise")) formatted++;
    return original ? original(error, frames) : `${error}\n${frames.map((f) => `    at ${f.getFunctionName() ?? "<anonymous>"} (${f.getFileName() ?? "?"}:${f.getLineNumber() ?? "?"})`).join("\n")}`;
  };
  try {
    fn();
  } finally {
    Error.prepareStackTrace = original;
  }
  return formatted;
}

test("the SDK's promises for a connection's properties record no stack trace while it is constructed", () => {
  const limit = Error.stackTraceLimit;
  const bare = promiseStacksDuring(() => new Bare({ create: async () => ({ id: "bare" }) }, "bare", { a: undefined, b: undefined }));
  assert.ok(bare > 0, "a bare dynamic resource makes the SDK format stack traces: the measure can see them");
  assert.equal(promiseStacksDuring(() => new PrivateLinkAttachmentConnection("quiet", ARGS)), 0);
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
