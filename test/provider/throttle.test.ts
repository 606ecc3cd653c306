import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Throttle, throttleFor } from "../../provider/core/transport/throttle";

/** Deterministic clock + timers for the throttle. */
class FakeClock {
  time = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  now = (): number => this.time;

  schedule = (fn: () => void, ms: number): (() => void) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    };
  };

  /** Advances time, firing due timers in order, letting promise callbacks run after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
      await flush();
    }
    this.time = end;
    await flush();
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function setup(options: { unknownConcurrency?: number; fallbackPauseMs?: number } = {}): { clock: FakeClock; throttle: Throttle } {
  const clock = new FakeClock();
  const throttle = new Throttle({ now: clock.now, schedule: clock.schedule, ...options });
  return { clock, throttle };
}

/** Starts n acquires; `granted` records [index, time] as each resolves. */
function contenders(throttle: Throttle, clock: FakeClock, n: number, signal?: AbortSignal): { granted: Array<[number, number]>; promises: Array<Promise<void>> } {
  const granted: Array<[number, number]> = [];
  const promises = Array.from({ length: n }, (_, i) =>
    throttle.acquire(signal).then(() => {
      granted.push([i, clock.time]);
    }),
  );
  return { granted, promises };
}

const rate = (remaining: number, reset: number): Record<string, string> => ({
  "x-ratelimit-limit": "100",
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-reset": String(reset),
});

describe("Throttle before any rate-limit headers", () => {
  test("the first request goes alone (probe); without headers in its answer up to 8 run in parallel", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 20);
    await flush();
    assert.equal(granted.length, 1, "only the probe");
    throttle.observe({}, 200);
    await flush();
    assert.equal(granted.length, 9, "probe + 8 more (unknown concurrency cap)");
    assert.equal(throttle.snapshot().inFlight, 8);
    throttle.release();
    await flush();
    assert.equal(granted.length, 10, "a freed slot is reused");
  });

  test("the unknown-concurrency cap is configurable", async () => {
    const { clock, throttle } = setup({ unknownConcurrency: 2 });
    const { granted } = contenders(throttle, clock, 5);
    await flush();
    throttle.observe(undefined, 404);
    await flush();
    assert.equal(granted.length, 3);
  });

  test("a probe that fails without a response does not unlock parallelism", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 5);
    await flush();
    throttle.release();
    await flush();
    assert.equal(granted.length, 2, "still one at a time: nothing has been learned");
  });
});

describe("Throttle pacing from X-RateLimit-Remaining / X-RateLimit-Reset", () => {
  test("spreads R requests evenly over S seconds", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 11);
    await flush();
    assert.equal(granted.length, 1);
    throttle.observe(rate(10, 10), 200); // 10 more in the next 10 s
    await flush();
    assert.equal(granted.length, 1, "paced from the probe's start, not a burst");
    await clock.advance(10_000);
    const times = granted.map(([, t]) => t);
    assert.equal(granted.length, 11);
    // 10 paced requests evenly inside the 10 s window, all strictly before its end.
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 900, `gap ${i}: ${times[i]! - times[i - 1]!}`);
    assert.ok(times[times.length - 1]! < 10_000);
  });

  test("requests already in flight count against the remaining budget", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 10);
    await flush();
    throttle.observe({}, 200); // unknown → 8 in flight
    await flush();
    assert.equal(granted.length, 9);
    // One of the 9 answers: 5 remaining, 8 others still out → budget is exhausted until the window ends.
    throttle.observe(rate(5, 4), 200);
    await flush();
    assert.equal(granted.length, 9);
    await clock.advance(3_999);
    assert.equal(granted.length, 9, "nothing before the window ends");
    await clock.advance(1);
    assert.equal(granted.length, 9, "after the window: probing, but 7 are still in flight");
    for (let i = 0; i < 6; i++) throttle.release();
    await flush();
    assert.equal(granted.length, 9, "one still out");
    throttle.release();
    await flush();
    assert.equal(granted.length, 10);
  });

  test("Remaining 0: nothing until the window resets, then one probe", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 4);
    await flush();
    throttle.observe(rate(0, 3), 200);
    await clock.advance(2_999);
    assert.equal(granted.length, 1);
    await clock.advance(1);
    assert.equal(granted.length, 2, "one probe once the window is over");
    throttle.observe(rate(50, 60), 200);
    await clock.advance(1_200); // 50 over 60 s: next after ~1.18 s
    assert.equal(granted.length, 3);
    assert.equal(throttle.snapshot().budget, 49);
  });

  test("a stale response with a higher Remaining does not enlarge the budget of the same window", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 6);
    await flush();
    throttle.observe(rate(2, 10), 200); // budget 2 for 10 s
    await flush();
    await clock.advance(7_000);
    assert.equal(granted.length, 3, "probe + budget of 2");
    // An overtaken answer from earlier in the same window (same end): Remaining went "up" by 1.
    throttle.observe(rate(3, 3), 200);
    await clock.advance(2_999);
    assert.equal(granted.length, 3, "budget not refilled by the stale answer");
  });

  test("a much higher Remaining means the server opened a new window", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 6);
    await flush();
    throttle.observe(rate(0, 30), 200);
    await flush();
    assert.equal(granted.length, 1);
    // An answer from a new window (e.g. the server's window ended earlier than Reset's whole seconds said).
    throttle.observe(rate(99, 30), 200);
    await clock.advance(300);
    assert.equal(granted.length, 2);
    assert.equal(throttle.snapshot().budget, 98);
  });

  test("the throttle never needs more than one timer", async () => {
    const { clock, throttle } = setup();
    contenders(throttle, clock, 50);
    await flush();
    throttle.observe(rate(100, 100), 200);
    await flush();
    assert.ok(clock.pendingTimers() <= 1);
    await clock.advance(1234);
    assert.ok(clock.pendingTimers() <= 1);
  });
});

describe("Throttle on 429", () => {
  test("pauses everyone until Retry-After (or a larger X-RateLimit-Reset), then probes", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 5);
    await flush();
    throttle.observe({}, 200);
    await flush();
    assert.equal(granted.length, 5);
    for (let i = 0; i < 3; i++) throttle.release();
    const second = contenders(throttle, clock, 3);
    await flush();
    assert.equal(second.granted.length, 3);
    throttle.observe({ "retry-after": "2", "x-ratelimit-reset": "7" }, 429);
    const third = contenders(throttle, clock, 3);
    await clock.advance(6_999);
    assert.equal(third.granted.length, 0, "paused for max(Retry-After, Reset) = 7 s");
    for (let i = 0; i < 4; i++) throttle.release();
    await clock.advance(1);
    assert.equal(third.granted.length, 1, "a single probe after the pause");
  });

  test("a 429 without headers pauses for the fallback", async () => {
    const { clock, throttle } = setup({ fallbackPauseMs: 500 });
    const { granted } = contenders(throttle, clock, 2);
    await flush();
    throttle.observe({}, 429);
    await clock.advance(499);
    assert.equal(granted.length, 1);
    await clock.advance(1);
    assert.equal(granted.length, 2);
  });

  test("a 429 without rate-limit headers from a server that sends none: one probe after the pause, then parallel again once it answers normally", async () => {
    const { clock, throttle } = setup({ fallbackPauseMs: 500 });
    const { granted } = contenders(throttle, clock, 30);
    await flush();
    throttle.observe({}, 200); // the first answer carries no rate-limit headers: up to 8 in parallel
    await flush();
    assert.equal(granted.length, 9);
    throttle.observe({}, 429); // one of them is refused, without any header
    for (let i = 0; i < 7; i++) throttle.observe({}, 200);
    await clock.advance(499);
    assert.equal(granted.length, 9, "nobody during the pause");
    await clock.advance(1);
    assert.equal(granted.length, 10, "one probe once the pause is over");
    throttle.observe({}, 429); // refused again: still one at a time after the next pause
    await clock.advance(500);
    assert.equal(granted.length, 11);
    assert.equal(throttle.snapshot().inFlight, 1);
    throttle.observe({}, 200); // answered normally, still without headers: the server is not rate limiting now
    await flush();
    assert.equal(granted.length, 19, "8 in parallel again");
    assert.equal(throttle.snapshot().inFlight, 8);
  });

  test("a 429 as the very first answer, then a normal answer without headers: parallel", async () => {
    const { clock, throttle } = setup({ fallbackPauseMs: 500 });
    const { granted } = contenders(throttle, clock, 12);
    await flush();
    throttle.observe({ "retry-after": "1", "x-ratelimit-reset": "1", "x-ratelimit-remaining": "0" }, 429);
    await clock.advance(1000);
    assert.equal(granted.length, 2, "one probe after the pause");
    throttle.observe({}, 200);
    await flush();
    assert.equal(granted.length, 10, "the probe's normal answer had no rate-limit headers: 8 in parallel");
  });

  test("after a 429, a normal answer with rate-limit headers paces from them", async () => {
    const { clock, throttle } = setup({ fallbackPauseMs: 500 });
    const { granted } = contenders(throttle, clock, 12);
    await flush();
    throttle.observe({}, 429);
    await clock.advance(500);
    assert.equal(granted.length, 2);
    throttle.observe(rate(10, 10), 200);
    await clock.advance(10_000);
    assert.equal(granted.length, 12, "ten more, paced over the window");
  });

  test("Retry-After as an HTTP-date", async () => {
    const { clock, throttle } = setup();
    clock.time = Date.parse("2030-01-01T00:00:00Z");
    const { granted } = contenders(throttle, clock, 2);
    await flush();
    throttle.observe({ "retry-after": "Tue, 01 Jan 2030 00:00:04 GMT" }, 429);
    await clock.advance(3_999);
    assert.equal(granted.length, 1);
    await clock.advance(1);
    assert.equal(granted.length, 2);
  });

  test("header arrays and numbers are accepted", async () => {
    const { clock, throttle } = setup();
    const { granted } = contenders(throttle, clock, 2);
    await flush();
    throttle.observe({ "retry-after": ["3"], "x-ratelimit-reset": 1 }, 429);
    await clock.advance(2_999);
    assert.equal(granted.length, 1);
    await clock.advance(1);
    assert.equal(granted.length, 2);
  });
});

describe("Throttle cancellation", () => {
  test("an aborted waiter leaves the queue with the signal's reason; the others proceed", async () => {
    const { clock, throttle } = setup();
    await throttle.acquire();
    const controller = new AbortController();
    const aborted = throttle.acquire(controller.signal);
    const other = contenders(throttle, clock, 1);
    controller.abort(new Error("deadline"));
    await assert.rejects(aborted, /deadline/);
    assert.equal(throttle.snapshot().queued, 1);
    throttle.observe({}, 200);
    await flush();
    assert.equal(other.granted.length, 1);
    assert.equal(throttle.snapshot().inFlight, 1);
  });

  test("an already-aborted signal rejects at once and takes no slot", async () => {
    const { throttle } = setup();
    await assert.rejects(throttle.acquire(AbortSignal.abort(new Error("gone"))), /gone/);
    assert.equal(throttle.snapshot().inFlight, 0);
    await throttle.acquire();
    assert.equal(throttle.snapshot().inFlight, 1);
  });
});

describe("Throttle against a simulated fixed-window server (fake clock)", () => {
  // Same model as Confluent's documented headers: a fixed window of `limit` requests; Reset = whole seconds
  // (rounded up) until it ends; 429 carries Retry-After. Latency varies per request.
  async function simulate(opts: { limit: number; windowMs: number; requests: number; latency: (i: number) => number }): Promise<{ rejected: number; elapsed: number }> {
    const { clock, throttle } = setup();
    let windowStart = Number.NEGATIVE_INFINITY;
    let used = 0;
    let rejected = 0;
    const serve = (): { status: number; headers: Record<string, string> } => {
      const now = clock.time;
      if (now >= windowStart + opts.windowMs) {
        windowStart = now;
        used = 0;
      }
      const reset = String(Math.max(1, Math.ceil((windowStart + opts.windowMs - now) / 1000)));
      if (used >= opts.limit) {
        rejected++;
        return { status: 429, headers: { "retry-after": reset, "x-ratelimit-reset": reset, "x-ratelimit-remaining": "0" } };
      }
      used++;
      return { status: 200, headers: { "x-ratelimit-remaining": String(opts.limit - used), "x-ratelimit-reset": reset } };
    };
    let done = 0;
    const one = async (i: number): Promise<void> => {
      for (;;) {
        await throttle.acquire();
        const latency = opts.latency(i);
        // The server counts the request half-way through the round trip.
        const answer = await new Promise<{ status: number; headers: Record<string, string> }>((resolve) => {
          clock.schedule(() => {
            const response = serve();
            clock.schedule(() => resolve(response), latency / 2);
          }, latency / 2);
        });
        throttle.observe(answer.headers, answer.status);
        if (answer.status !== 429) break;
      }
      done++;
    };
    const all = Promise.all(Array.from({ length: opts.requests }, (_, i) => one(i)));
    while (done < opts.requests) await clock.advance(50);
    await all;
    return { rejected, elapsed: clock.time };
  }

  test("600 requests/min, 200 concurrent callers: zero 429s within 1.2x the ideal time", async () => {
    const result = await simulate({ limit: 600, windowMs: 60_000, requests: 200, latency: (i) => 40 + (i % 7) * 30 });
    assert.equal(result.rejected, 0);
    const ideal = (200 / 10) * 1000;
    assert.ok(result.elapsed <= 1.2 * ideal, `took ${result.elapsed} ms (ideal ${ideal} ms)`);
  });

  test("a tight window (20 per 2 s), slow answers: zero 429s, close to the limit", async () => {
    const result = await simulate({ limit: 20, windowMs: 2_000, requests: 100, latency: (i) => 100 + (i % 5) * 150 });
    assert.equal(result.rejected, 0);
    const ideal = (100 / 10) * 1000;
    assert.ok(result.elapsed <= 1.3 * ideal, `took ${result.elapsed} ms (ideal ${ideal} ms)`);
  });
});

describe("throttleFor", () => {
  test("one throttle per origin, shared process-wide", () => {
    const a = throttleFor("https://api.example.test");
    assert.equal(throttleFor("https://api.example.test/some/prefix"), a);
    assert.notEqual(throttleFor("https://other.example.test"), a);
    assert.notEqual(throttleFor("http://api.example.test"), a);
  });
});
