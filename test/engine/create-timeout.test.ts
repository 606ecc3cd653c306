// A create that outlives timeouts.create: the engine keeps the connection (an init error) and the next `up`
// resumes waiting for the same connection instead of creating another.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject, posts } from "../support/engine";

test("create timeout → init error in state → the next up resumes it, with one POST in all", async () => {
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: vpce(), createTimeout: "3s" } });
  const hold = setInterval(() => {
    for (const c of p.emulator.control.connections()) if (!c.held && c.phase === "PROVISIONING") p.emulator.control.hold(c.id);
  }, 5);
  try {
    const first = await p.pulumi(["up", "--yes"], { allowFailure: true });
    assert.notEqual(first.code, 0);
    assert.match(first.stdout + first.stderr, /timeouts\.create = 3s/);
    const [server] = p.emulator.control.connections();
    assert.ok(server, "the connection exists on the server");
    const [r] = (await p.state()).resources;
    assert.equal(r?.id, server.id, "and the stack has it");
    assert.ok((r?.initErrors ?? []).length > 0, JSON.stringify(r));

    clearInterval(hold);
    p.emulator.control.hold(server.id, false);
    await p.pulumi(["up", "--yes"]);
    assert.deepEqual(await p.outputs(), { id: server.id, phase: "READY", displayName: "engine-aws" });
    assert.equal(posts(p.emulator), 1, "no second create");
    assert.deepEqual((await p.state()).resources[0]?.initErrors ?? [], []);
  } finally {
    clearInterval(hold);
    await p.dispose();
  }
});
