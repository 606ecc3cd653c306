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

// Where a connection is gone, production answers 403 rather than 404 (the emulator's goneAs403): both are "gone".
for (const goneAs403 of [false, true]) {
  test(`an out-of-band delete (gone answers ${goneAs403 ? "403" : "404"}): refresh drops it from state, up creates a new one, destroy ends`, async () => {
    const p = await EngineProject.start("one-connection", { emulator: { goneAs403 }, config: { vpcEndpointId: vpce() } });
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
      await p.pulumi(["destroy", "--yes"]);
      assert.deepEqual(p.emulator.control.connections(), []);
      const gone = p.emulator.control.requests().filter((r) => r.method === "GET" && r.path.endsWith(recreated)).at(-1);
      assert.equal(gone?.status, goneAs403 ? 403 : 404, "the delete's wait ended on the mode's answer");
    } finally {
      await p.dispose();
    }
  });
}
