import { test } from "node:test";
import assert from "node:assert/strict";
import { CONNECTIONS, ENV, ManualClock, withEmulator } from "../support/emulator";

const LIST = `${CONNECTIONS}?environment=${ENV}`;

test("one request window shared by every caller whatever its credential; 429 has no body, Retry-After and a relative X-RateLimit-Reset", async () => {
  const clock = new ManualClock();
  await withEmulator({ clock, rateLimit: { requests: 4, windowMs: 10_000 }, accessTokens: ["t1", "t2"] }, async ({ api }) => {
    const remaining: string[] = [];
    for (const auth of [undefined, "Bearer t1", "Bearer t2", undefined]) {
      const reply = await api.call(LIST, { auth });
      assert.equal(reply.status, 200);
      remaining.push(reply.headers.get("x-ratelimit-remaining")!);
    }
    assert.deepEqual(remaining, ["3", "2", "1", "0"]);
    clock.advance(2_500);
    for (const auth of [undefined, "Bearer t1"]) {
      const limited = await api.call(LIST, { auth });
      assert.equal(limited.status, 429);
      assert.equal(limited.text, "", "429 has no body");
      assert.equal(limited.headers.get("content-type"), null);
      assert.ok(limited.headers.get("x-request-id"));
      assert.equal(limited.headers.get("retry-after"), "8", "whole seconds until the window resets");
      assert.equal(limited.headers.get("x-ratelimit-reset"), "8", "relative seconds, not an epoch");
      assert.equal(limited.headers.get("x-ratelimit-remaining"), "0");
    }
    clock.advance(7_000);
    const almost = await api.call(LIST);
    assert.equal(almost.status, 429);
    assert.equal(almost.headers.get("retry-after"), "1", "never below 1");
    clock.advance(500);
    const fresh = await api.call(LIST);
    assert.equal(fresh.status, 200, "a new window starts");
    assert.equal(fresh.headers.get("x-ratelimit-remaining"), "3");
    assert.equal(fresh.headers.get("x-ratelimit-reset"), "10");
  });
});

test("unauthenticated requests do not use the window", async () => {
  await withEmulator({ rateLimit: { requests: 1, windowMs: 60_000 } }, async ({ api }) => {
    for (let i = 0; i < 3; i++) assert.equal((await api.call(LIST, { auth: null })).status, 401);
    assert.equal((await api.call(LIST)).status, 200);
    assert.equal((await api.call(LIST)).status, 429);
  });
});

test("the window limits writes too, and a limited POST creates nothing", async () => {
  await withEmulator({ rateLimit: { requests: 1, windowMs: 60_000 } }, async ({ api, emulator }) => {
    await api.call(LIST);
    const post = await api.call(CONNECTIONS, { method: "POST", body: { spec: {} } });
    assert.equal(post.status, 429);
    assert.equal(emulator.control.connections().length, 0);
  });
});

test("rateLimit.headers: false answers without X-RateLimit-* (a 429 keeps Retry-After); configure switches it at run time", async () => {
  await withEmulator({ rateLimit: { requests: 1, windowMs: 60_000, headers: false } }, async ({ api, emulator }) => {
    const ok = await api.call(LIST);
    assert.equal(ok.status, 200);
    const limited = await api.call(LIST);
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get("retry-after"));
    for (const reply of [ok, limited]) {
      for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]) assert.equal(reply.headers.get(name), null, name);
    }
    emulator.control.injectFault({ method: "GET", status: 429, headers: { "Retry-After": null } });
    emulator.control.configure({ rateLimit: { requests: 10, windowMs: 60_000, headers: false } });
    const injected = await api.call(LIST);
    assert.equal(injected.status, 429);
    assert.deepEqual([...injected.headers.keys()].filter((h) => h.startsWith("x-ratelimit") || h === "retry-after"), [], "an injected 429 without any rate header");
    emulator.control.configure({ rateLimit: { requests: 10, windowMs: 60_000 } });
    assert.equal((await api.call(LIST)).headers.get("x-ratelimit-remaining"), "9", "back on (a new window): the headers again");
    assert.throws(() => emulator.control.configure({ rateLimit: { requests: 10, windowMs: 60_000, headers: "no" } as never }), /rateLimit.headers/);
  });
});
