// Drift under the `pulumi` CLI: what `pulumi refresh` makes of changes made outside Pulumi, and what `up` does next.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject, posts } from "../support/engine";

test("an out-of-band rename: refresh records it, up restores the program's name on the same connection", async () => {
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: vpce() } });
  try {
    await p.pulumi(["up", "--yes"]);
    const id = String((await p.outputs()).id);
    p.emulator.control.rename(id, "renamed-in-the-console");
    const refresh = await p.pulumi(["refresh", "--yes"]);
    assert.match(refresh.stdout, /1 updated/, refresh.stdout);
    const [refreshed] = (await p.state()).resources;
    assert.equal(refreshed?.outputs?.displayName, "renamed-in-the-console");
    const diff = await p.pulumi(["preview", "--diff"]);
    assert.match(diff.stdout, /renamed-in-the-console/, diff.stdout);
    await p.pulumi(["up", "--yes"]);
    assert.equal((await p.outputs()).id, id);
    assert.equal(p.emulator.control.connection(id)?.displayName, "engine-aws");
  } finally {
    await p.dispose();
  }
});

test("an out-of-band delete: refresh drops it from state, up creates a new one", async () => {
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: vpce() } });
  try {
    await p.pulumi(["up", "--yes"]);
    const id = String((await p.outputs()).id);
    p.emulator.control.deleteConnection(id);
    await p.pulumi(["refresh", "--yes"]);
    assert.deepEqual((await p.state()).resources, [], "refresh dropped it");
    await p.pulumi(["up", "--yes"]);
    const recreated = String((await p.outputs()).id);
    assert.notEqual(recreated, id);
    assert.equal(p.emulator.control.connection(recreated)?.phase, "READY");
    assert.equal(posts(p.emulator), 2);
  } finally {
    await p.dispose();
  }
});
