// One connection through its life under the `pulumi` CLI: preview, up, an unchanged preview, destroy.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { assertProviderByReference, EngineProject } from "../support/engine";

let p: EngineProject;
before(async () => {
  p = await EngineProject.start("one-connection", { config: { vpcEndpointId: vpce() } });
});
after(() => p?.dispose());

test("preview plans one create and sends no request to the API", async () => {
  const { stdout } = await p.pulumi(["preview"]);
  assert.match(stdout, /\+ 2 to create/, stdout);
  assert.equal(p.apiRequests(), 0, JSON.stringify(p.emulator.control.requests()));
});

test("up creates it READY, in state and on the server; its progress is on the resource's row", async (t) => {
  const { stdout } = await p.pulumi(["up", "--yes"]);
  assert.match(stdout, /PrivateLinkAttachmentConnection \(aws\):\n\s+plattc-\w+: READY after/, stdout);
  assert.doesNotMatch(stdout, /info: \[runtime\]/, "no stack-level progress lines");
  const { resources } = await p.state();
  assert.equal(resources.length, 1);
  const [r] = resources;
  assert.match(r!.id!, /^plattc-/);
  assert.equal(r!.outputs?.phase, "READY");
  assert.equal(p.emulator.control.connection(r!.id!)?.phase, "READY");
  assert.deepEqual(await p.outputs(), { id: r!.id, phase: "READY", displayName: "engine-aws" });
  // The package installed from its tarball: the state carries a require() of it, not a copy of its code.
  const sizes = assertProviderByReference(resources);
  t.diagnostic(`__provider in the state: ${[...new Set(sizes)].join(", ")} bytes`);
});

test("a second preview shows no changes and sends nothing", async () => {
  const before = p.apiRequests();
  const { stdout } = await p.pulumi(["preview", "--expect-no-changes"]);
  assert.match(stdout, /2 unchanged/, stdout);
  assert.equal(p.apiRequests(), before);
});

test("destroy returns once the connection is gone from the server", async () => {
  await p.pulumi(["destroy", "--yes"]);
  assert.deepEqual(p.emulator.control.connections(), []);
  assert.equal((await p.state()).resources.length, 0);
});
