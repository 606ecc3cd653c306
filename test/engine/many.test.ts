// Fifty connections in one stack under a tight rate limit: one plugin process serves them all, and the one
// throttle it holds keeps the stack inside the limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EngineProject, posts } from "../support/engine";

const COUNT = 50;
const LIMIT = { requests: 30, windowMs: 2000 };

test(`${COUNT} connections under a limit of ${LIMIT.requests} requests per ${LIMIT.windowMs} ms: all READY, none lost or doubled`, async () => {
  const p = await EngineProject.start("many-connections", {
    emulator: { rateLimit: LIMIT, timing: { provisioningMs: 1000, deprovisioningMs: 300 } },
    config: { count: String(COUNT), firstEndpoint: String(0x5000) },
  });
  try {
    await p.pulumi(["up", "--yes"]);
    const server = p.emulator.control.connections();
    assert.equal(server.length, COUNT);
    assert.ok(server.every((c) => c.phase === "READY"));
    assert.equal(posts(p.emulator), COUNT, "one create each");
    const { resources } = await p.state();
    assert.deepEqual(resources.map((r) => r.id).sort(), server.map((c) => c.id).sort());
    const log = p.emulator.control.requests();
    const refused = log.filter((r) => r.status === 429).length;
    console.log(`${log.length} requests, ${refused} answered 429`);
    // Fifty creates at once against a window of thirty: unpaced, twenty of the first fifty POSTs alone would be
    // refused. The throttle the plugin process shares across resources paces them instead.
    assert.ok(refused <= 5, `${refused} requests answered 429 of ${log.length}`);

    await p.pulumi(["destroy", "--yes"]);
    assert.deepEqual(p.emulator.control.connections(), []);
  } finally {
    await p.dispose();
  }
});
