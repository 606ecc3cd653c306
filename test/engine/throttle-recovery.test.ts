// The shared throttle after a 429 that carries no rate-limit headers, from a server whose answers carry none: one
// request at a time until the server answers normally again, then requests in parallel again.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LoggedRequest } from "../../emulator";
import { CONNECTIONS } from "../support/emulator";
import { EngineProject, posts } from "../support/engine";

const COUNT = 4;

/** The most requests the emulator was serving at one time (each from its arrival to its answer). */
function peakConcurrency(log: LoggedRequest[]): number {
  const edges = log.flatMap((r) => {
    const start = Date.parse(r.at);
    return [{ at: start, step: 1 }, { at: start + r.durationMs, step: -1 }];
  });
  // An answer before an arrival at the same millisecond: a request sent after the previous one was answered never overlaps it.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let peak = 0;
  for (const edge of edges) peak = Math.max(peak, (now += edge.step));
  return peak;
}

test(`after a 429 without any rate-limit header, ${COUNT} creates run in parallel again once the API answers normally`, async () => {
  const p = await EngineProject.start("many-connections", {
    // A server (or the gateway in front of it) that sends no X-RateLimit-* headers: the throttle cannot pace, and
    // lets requests run in parallel.
    emulator: { rateLimit: { requests: 600, windowMs: 60_000, headers: false } },
    config: { count: String(COUNT), firstEndpoint: String(0x6000) },
  });
  try {
    // The first create is refused with a 429 that says nothing (no Retry-After either); every create after it is
    // answered after 500 ms, so that creates sent in parallel are seen in parallel.
    p.emulator.control.injectFault({ method: "POST", path: CONNECTIONS, status: 429, headers: { "Retry-After": null } });
    p.emulator.control.injectFault({ method: "POST", path: CONNECTIONS, delayMs: 500, count: COUNT });
    await p.pulumi(["up", "--yes"]);

    const server = p.emulator.control.connections();
    assert.equal(server.length, COUNT);
    assert.ok(server.every((c) => c.phase === "READY"));
    assert.equal(posts(p.emulator), COUNT + 1, "one create each, and the one refused");
    const log = p.emulator.control.requests();
    assert.deepEqual(log.filter((r) => r.status === 429).map((r) => r.method), ["POST"], "the one injected 429");
    const firstAnswered = log.findIndex((r) => r.status !== 429);
    const peak = peakConcurrency(log.slice(firstAnswered));
    console.log(`${log.length} requests; at most ${peak} at once after the 429`);
    assert.ok(peak >= 2, `after the 429 the requests went one at a time for good (at most ${peak} at once)`);
  } finally {
    await p.dispose();
  }
});
