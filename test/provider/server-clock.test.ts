// ServerClock: the API's clock as its answers' Date headers bound it, on a clock the test sets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SERVER_SKEW_MS, ServerClock, UNKNOWN_SKEW_MS } from "../../provider/core/transport/server-clock";

const T0 = Date.parse("2026-03-01T12:00:00Z");

function clockAt(start: number): { clock: ServerClock; set: (ms: number) => void } {
  let now = start;
  return { clock: new ServerClock(() => now), set: (ms) => (now = ms) };
}

test("without any Date header: the client's own time, less a minute for unknown skew", () => {
  const { clock } = clockAt(T0);
  const sent = clock.mark();
  clock.observe(undefined);
  clock.observe("not a date");
  assert.equal(clock.earliestServerTime(sent), T0 - UNKNOWN_SKEW_MS);
});

test("a server 10 minutes ahead: the bound follows its clock, from answers received before or after the request", () => {
  const { clock, set } = clockAt(T0);
  const sent = clock.mark();
  // Answered 2.4 s later; the server dated it (whole seconds) 10 min + 2 s after T0 on its clock.
  set(T0 + 2_400);
  clock.observe(new Date(T0 + 600_000 + 2_000).toUTCString());
  const bound = clock.earliestServerTime(sent);
  assert.equal(bound, T0 + 600_000 - 400 - SERVER_SKEW_MS);
  assert.ok(bound <= T0 + 600_000, "never later than the server's time at sending");
});

test("a server 10 minutes behind; the tightest of several answers wins; an array header is read", () => {
  const { clock, set } = clockAt(T0);
  set(T0 + 900);
  clock.observe([new Date(T0 - 600_000).toUTCString()]); // dated T0 - 10 min, received 0.9 s later
  const sent = clock.mark();
  set(T0 + 5_000);
  clock.observe(new Date(T0 - 600_000 + 4_000).toUTCString()); // less tight: 1 s lost to rounding
  assert.equal(clock.earliestServerTime(sent), T0 + 900 - 600_000 - 900 - SERVER_SKEW_MS);
});
