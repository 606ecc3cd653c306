// Unit tests of the poll loop (core/poll.ts) through the connection's waits (connection/waits.ts), with a fake clock
// whose sleep advances time at once.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Clock } from "../../provider/core/clock";
import { Deadline } from "../../provider/core/deadline";
import {
  DEFAULT_POLL_POLICY, WaitError, formatDuration, nextPollDelayMs, type PollPolicy,
} from "../../provider/core/poll";
import { waitForGone, waitForReady, type ConnectionWaitArgs as WaitArgs } from "../../provider/connection/waits";
import { connectionFromWire, type Connection } from "../../provider/connection/model";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const FAST: PollPolicy = { firstMs: 50, minMs: 50, ratio: 0.15, maxMs: 500 };

class FakeClock implements Clock {
  ms = T0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    assert.ok(ms >= 0, `negative sleep ${ms}`);
    this.sleeps.push(ms);
    this.ms += ms;
  }
  elapsed(): number {
    return this.ms - T0;
  }
}

function body(phase: string, extra: { errorCode?: string; errorMessage?: string } = {}): Connection {
  return connectionFromWire({
    id: "plattc-test01",
    spec: {
      display_name: "x",
      cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: "vpce-0123456789abcdef0" },
      environment: { id: "env-abc123" },
      private_link_attachment: { id: "platt-abc123" },
    },
    status: { phase, ...(extra.errorCode ? { error_code: extra.errorCode } : {}), ...(extra.errorMessage ? { error_message: extra.errorMessage } : {}) },
  });
}

/** A reader answering from a script of (elapsed ms → answer); errors are thrown. */
function reader(clock: FakeClock, answer: (elapsedMs: number, call: number) => unknown) {
  const calls: number[] = [];
  return {
    calls,
    getConnection: async (id: string, env: string): Promise<Connection> => {
      assert.equal(id, "plattc-test01");
      assert.equal(env, "env-abc123");
      calls.push(clock.elapsed());
      const result = answer(clock.elapsed(), calls.length);
      if (result instanceof Error || (typeof result === "object" && result !== null && "thrown" in result)) {
        const thrown: unknown = (result as { thrown?: unknown }).thrown ?? result;
        throw thrown;
      }
      return result as Connection;
    },
  };
}

function args(clock: FakeClock, r: ReturnType<typeof reader>, over: Partial<WaitArgs> = {}): WaitArgs & { lines: string[] } {
  const lines: string[] = [];
  return {
    reader: r, id: "plattc-test01", environmentId: "env-abc123", deadline: Deadline.after(2 * 3600_000, clock),
    deadlineSource: "timeouts.create = 2h (default)", log: (l) => lines.push(l), lines, ...over,
  };
}

async function rejection(p: Promise<unknown>): Promise<WaitError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WaitError, `a WaitError, got ${String(e)}`);
    assert.ok(e instanceof Error);
    return e;
  }
  assert.fail("expected a WaitError");
}

describe("nextPollDelayMs", () => {
  test("default policy: 1 s for the first 3 s, then 18% of the time waited within [3.5 s, 12 s]", () => {
    const cases: [number, number][] = [
      [-5, 1000], [0, 1000], [1, 1000], [1000, 1000], [2999, 1000], [3000, 3500], [10_000, 3500], [30_000, 5400],
      [100_000, 12_000], [400_000, 12_000], [1e9, 12_000],
    ];
    for (const [elapsed, expected] of cases) assert.equal(nextPollDelayMs(elapsed), expected, `elapsed ${elapsed}`);
    assert.deepEqual(DEFAULT_POLL_POLICY, { firstMs: 1000, fastUntilMs: 3000, minMs: 3500, ratio: 0.18, maxMs: 12_000 });
  });

  test("a custom policy; the interval never shrinks as time passes", () => {
    assert.equal(nextPollDelayMs(0, FAST), 50);
    assert.equal(nextPollDelayMs(100, FAST), 50);
    assert.equal(nextPollDelayMs(1000, FAST), 150);
    assert.equal(nextPollDelayMs(10_000, FAST), 500);
    assert.equal(nextPollDelayMs(0, { firstMs: 5, minMs: 200, ratio: 0.5, maxMs: 1000 }), 5, "first is its own setting");
    for (const policy of [DEFAULT_POLL_POLICY, FAST]) {
      let previous = 0;
      for (let e = 1; e < 10_000_000; e = Math.ceil(e * 1.3)) {
        const d = nextPollDelayMs(e, policy);
        assert.ok(d >= previous && d <= policy.maxMs && (d >= policy.minMs || e < (policy.fastUntilMs ?? 0)), `elapsed ${e}: ${d}`);
        previous = d;
      }
    }
  });

  for (const provisionMs of [300, 2000, 2500, 5000, 30_000, 120_000, 600_000, 3_600_000]) {
    test(`READY after ${provisionMs} ms: noticed at most max(2 s, 15%) late, with at most T/10 + 10 polls`, async () => {
      const clock = new FakeClock();
      const r = reader(clock, (e) => body(e >= provisionMs ? "READY" : "PROVISIONING"));
      const { polls } = await waitForReady(args(clock, r));
      const late = clock.elapsed() - provisionMs;
      assert.ok(late >= 0);
      assert.ok(late <= Math.max(2000, 0.15 * provisionMs) + 1, `noticed ${late} ms late`);
      if (provisionMs <= 3000) assert.ok(late <= 1000, `a short provision is noticed within a second, not ${late} ms`);
      assert.ok(polls <= provisionMs / 10_000 + 10, `${polls} polls`);
    });
  }
});

describe("waitForReady", () => {
  test("READY on the first poll: one GET after firstMs", async () => {
    const clock = new FakeClock();
    const r = reader(clock, () => body("READY"));
    const a = args(clock, r, { policy: FAST });
    const result = await waitForReady(a);
    assert.equal(result.polls, 1);
    assert.equal(result.state.phase, "READY");
    assert.deepEqual(clock.sleeps, [50]);
    assert.equal(a.lines.length, 1);
    assert.match(a.lines[0]!, /^plattc-test01: READY after 50ms \(gives up in 2h00m, timeouts\.create = 2h \(default\)\)$/);
  });

  test("PROVISIONING then READY: sleeps follow the schedule", async () => {
    const clock = new FakeClock();
    const r = reader(clock, (e) => body(e >= 10_000 ? "READY" : "PROVISIONING"));
    await waitForReady(args(clock, r));
    let elapsed = 0;
    for (const s of clock.sleeps) {
      assert.equal(s, nextPollDelayMs(elapsed), `sleep at ${elapsed}`);
      elapsed += s;
    }
    assert.deepEqual(r.calls, clock.sleeps.map((_, i) => clock.sleeps.slice(0, i + 1).reduce((a, b) => a + b, 0)));
  });

  test("FAILED: WaitError 'failed' with the state, the API's error code and message, and the timeout whose wait it ended", async () => {
    const clock = new FakeClock();
    const r = reader(clock, (_e, n) => body(n < 3 ? "PROVISIONING" : "FAILED", { errorCode: "QUOTA", errorMessage: "no more endpoints" }));
    const error = await rejection(waitForReady(args(clock, r)));
    assert.equal(error.reason, "failed");
    assert.equal(error.id, "plattc-test01");
    assert.equal(error.state?.phase, "FAILED");
    assert.equal(error.state?.errorCode, "QUOTA");
    assert.equal(error.message, "plattc-test01 FAILED: QUOTA: no more endpoints (while waiting for READY, timeouts.create = 2h (default))");
  });

  for (const phase of ["DISCONNECTED", "DEPROVISIONING", "SOMETHING_NEW"]) {
    test(`${phase}: WaitError 'unexpected-phase' naming it`, async () => {
      const clock = new FakeClock();
      const r = reader(clock, () => body(phase));
      const error = await rejection(waitForReady(args(clock, r)));
      assert.equal(error.reason, "unexpected-phase");
      assert.equal(error.state?.phase, phase);
      assert.match(error.message, new RegExp(`went to ${phase} instead of READY`));
    });
  }

  test("404: WaitError 'gone' (deleted outside the program)", async () => {
    const clock = new FakeClock();
    const r = reader(clock, (_e, n) => (n === 1 ? body("PROVISIONING") : { thrown: Object.assign(new Error("HTTP 404"), { status: 404 }) }));
    const error = await rejection(waitForReady(args(clock, r)));
    assert.equal(error.reason, "gone");
    assert.match(error.message, /disappeared \(404\)/);
  });

  test("operation: every WaitError opens with it; 'gone' names the request id of the answer that said so", async () => {
    const clock = new FakeClock();
    const operation = "create private link attachment connection";
    const failed = await rejection(waitForReady({ ...args(clock, reader(clock, () => body("FAILED"))), operation }));
    assert.match(failed.message, /^create private link attachment connection: plattc-test01 FAILED/);
    const overdue = await rejection(waitForReady({ ...args(clock, reader(clock, () => body("PROVISIONING"))), operation, deadline: Deadline.after(5000, clock) }));
    assert.match(overdue.message, /^create private link attachment connection: plattc-test01 is not READY after 5s/);
    const notFound = Object.assign(new Error("HTTP 404"), { status: 404, requestId: "rid-404" });
    const gone = await rejection(waitForReady({ ...args(clock, reader(clock, () => ({ thrown: notFound }))), operation }));
    assert.equal(gone.reason, "gone");
    assert.match(gone.message, /^create private link attachment connection: plattc-test01 disappeared \(404; request id rid-404\)/);
    const deleting = await rejection(waitForGone({ ...args(clock, reader(clock, () => body("DEPROVISIONING"))), operation: "delete private link attachment connection", deadline: Deadline.after(5000, clock) }));
    assert.match(deleting.message, /^delete private link attachment connection: plattc-test01 still exists \(DEPROVISIONING\)/);
  });

  test("any other failure (e.g. 403) is passed through unchanged, never taken for 'gone'", async () => {
    const clock = new FakeClock();
    const forbidden = Object.assign(new Error("HTTP 403 Forbidden"), { status: 403 });
    const r = reader(clock, () => ({ thrown: forbidden }));
    await assert.rejects(waitForReady(args(clock, r)), (e) => e === forbidden);
  });

  test("deadline: WaitError 'deadline' with the last state; never sleeps past the deadline", async () => {
    const clock = new FakeClock();
    const r = reader(clock, () => body("PROVISIONING"));
    const a = args(clock, r, { deadline: Deadline.after(5000, clock), deadlineSource: "timeouts.create = 5s" });
    const error = await rejection(waitForReady(a));
    assert.equal(error.reason, "deadline");
    assert.equal(error.state?.phase, "PROVISIONING");
    assert.match(error.message, /timeouts\.create = 5s passed/);
    assert.match(error.message, /PROVISIONING/);
    assert.equal(clock.ms, T0 + 5000, "the last poll is at the deadline, not after it");
    assert.equal(r.calls.at(-1), 5000);
  });

  test("the client's own deadline firing on the last poll is reported as the wait's deadline, with the last state", async () => {
    const clock = new FakeClock();
    const timedOut = Object.assign(new Error("read private link attachment connection (plattc-test01 in env-abc123): deadline exceeded"), { code: "DEADLINE_EXCEEDED" });
    const r = reader(clock, (e) => (e >= 5000 ? { thrown: timedOut } : body("PROVISIONING")));
    const error = await rejection(waitForReady(args(clock, r, { deadline: Deadline.after(5000, clock), deadlineSource: "timeouts.create = 5s" })));
    assert.equal(error.reason, "deadline");
    assert.equal(error.state?.phase, "PROVISIONING");
    assert.match(error.message, /timeouts\.create = 5s passed \(last phase PROVISIONING\)/);
    assert.match(error.message, /deadline exceeded/, "the client's words are kept");
  });

  test("a deadline already past: no poll at all", async () => {
    const clock = new FakeClock();
    const r = reader(clock, () => body("READY"));
    const error = await rejection(waitForReady(args(clock, r, { deadline: Deadline.after(0, clock) })));
    assert.equal(error.reason, "deadline");
    assert.equal(r.calls.length, 0);
  });

  test("progress: a line per phase change and every progressEveryMs, naming phase, elapsed and deadline", async () => {
    const clock = new FakeClock();
    const r = reader(clock, (e) => body(e >= 100_000 ? "READY" : "PROVISIONING"));
    const a = args(clock, r, { progressEveryMs: 30_000 });
    await waitForReady(a);
    const provisioning = a.lines.filter((l) => l.includes(": PROVISIONING after "));
    assert.ok(provisioning.length >= 3 && provisioning.length <= 5, a.lines.join("\n"));
    assert.match(a.lines[0]!, /^plattc-test01: PROVISIONING after 1s \(gives up in 1h59m, timeouts\.create = 2h \(default\)\)$/);
    assert.match(a.lines.at(-1)!, /^plattc-test01: READY after 1m\d\ds \(gives up in 1h58m/);
    assert.equal(a.lines.filter((l) => l.includes("READY")).length, 1);
  });
});

describe("waitForGone", () => {
  test("404 at the first poll", async () => {
    const clock = new FakeClock();
    const r = reader(clock, () => ({ thrown: Object.assign(new Error("404"), { status: 404 }) }));
    assert.deepEqual(await waitForGone(args(clock, r, { policy: FAST })), { polls: 1 });
    assert.deepEqual(clock.sleeps, [50]);
  });

  test("DEPROVISIONING, then 404: progress line, then done", async () => {
    const clock = new FakeClock();
    const r = reader(clock, (e) => (e >= 3000 ? { thrown: Object.assign(new Error("404"), { status: 404 }) } : body("DEPROVISIONING")));
    const a = args(clock, r, { deadlineSource: "timeouts.delete = 2h (default)" });
    const { polls } = await waitForGone(a);
    assert.equal(polls, 3);
    assert.equal(clock.elapsed(), 3000);
    assert.equal(a.lines.length, 1);
    assert.match(a.lines[0]!, /^plattc-test01: DEPROVISIONING 1s after delete \(gives up in 1h59m, timeouts\.delete = 2h \(default\)\)$/);
  });

  test("deadline while DEPROVISIONING: WaitError naming the phase and the timeout", async () => {
    const clock = new FakeClock();
    const r = reader(clock, () => body("DEPROVISIONING"));
    const error = await rejection(waitForGone(args(clock, r, { deadline: Deadline.after(10_000, clock), deadlineSource: "timeouts.delete = 10s" })));
    assert.equal(error.reason, "deadline");
    assert.match(error.message, /^plattc-test01 still exists \(DEPROVISIONING\) 10s after its deletion was accepted: timeouts\.delete = 10s passed/);
    assert.equal(clock.ms, T0 + 10_000);
  });

  test("the client's deadline on the last poll becomes the wait's deadline error", async () => {
    const clock = new FakeClock();
    const r = reader(clock, (e) => (e >= 2000 ? { thrown: Object.assign(new Error("deadline exceeded"), { code: "DEADLINE_EXCEEDED" }) } : body("DEPROVISIONING")));
    const error = await rejection(waitForGone(args(clock, r, { deadline: Deadline.after(2000, clock), deadlineSource: "timeouts.delete = 2s" })));
    assert.equal(error.reason, "deadline");
    assert.match(error.message, /timeouts\.delete = 2s passed/);
  });

  test("403 while waiting is passed through (not 'gone')", async () => {
    const clock = new FakeClock();
    const forbidden = Object.assign(new Error("HTTP 403"), { status: 403 });
    const r = reader(clock, () => ({ thrown: forbidden }));
    await assert.rejects(waitForGone(args(clock, r)), (e) => e === forbidden);
  });
});

test("formatDuration", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(-5), "0s");
  assert.equal(formatDuration(420.4), "420ms");
  assert.equal(formatDuration(999), "999ms");
  assert.equal(formatDuration(1000), "1s");
  assert.equal(formatDuration(59_400), "59s");
  assert.equal(formatDuration(90_000), "1m30s");
  assert.equal(formatDuration(3_599_000), "59m59s");
  assert.equal(formatDuration(7_200_000), "2h00m");
  assert.equal(formatDuration(5_430_000), "1h30m");
});
