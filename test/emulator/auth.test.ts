import { test } from "node:test";
import assert from "node:assert/strict";
import { basic } from "../support/http";
import { CONNECTIONS, ENV, withEmulator } from "../support/emulator";

const LIST = `${CONNECTIONS}?environment=${ENV}`;

test("Basic key:secret and configured bearer tokens are accepted", async () => {
  await withEmulator({ accessTokens: ["token-one", "token-two"] }, async ({ api }) => {
    assert.equal((await api.call(LIST)).status, 200);
    assert.equal((await api.call(LIST, { auth: "Bearer token-one" })).status, 200);
    assert.equal((await api.call(LIST, { auth: "Bearer token-two" })).status, 200);
  });
});

test("anything else is 401 with WWW-Authenticate and a Failure body", async () => {
  await withEmulator({ credentials: { apiKey: "KEY", apiSecret: "SECRET" } }, async ({ api }) => {
    const attempts: (string | null)[] = [
      null,
      basic("KEY", "WRONG"),
      basic("OTHER", "SECRET"),
      "Basic not-base64-at-all",
      "Bearer not-a-configured-token",
      "Bearer ",
      "Digest username=KEY",
      "KEY:SECRET",
    ];
    for (const auth of attempts) {
      const reply = await api.call(LIST, { auth });
      assert.equal(reply.status, 401, `auth ${auth}`);
      assert.ok(reply.headers.get("www-authenticate"), "WWW-Authenticate");
      assert.ok(reply.headers.get("x-request-id"), "X-Request-Id");
      assert.equal(reply.body.errors[0].status, "401");
      assert.equal(reply.headers.get("x-ratelimit-limit"), null, "a 401 is not a success");
    }
  });
});

test("every response carries a distinct X-Request-Id; successes carry X-RateLimit-*", async () => {
  await withEmulator({ rateLimit: { requests: 50, windowMs: 60_000 } }, async ({ api }) => {
    const ids = new Set<string>();
    for (const path of [LIST, `${CONNECTIONS}/plattc-missing?environment=${ENV}`, CONNECTIONS]) {
      const reply = await api.call(path);
      const id = reply.headers.get("x-request-id");
      assert.ok(id);
      ids.add(id);
    }
    assert.equal(ids.size, 3);
    const ok = await api.call(LIST);
    assert.equal(ok.headers.get("x-ratelimit-limit"), "50");
    assert.equal(ok.headers.get("x-ratelimit-remaining"), "46");
    const reset = Number(ok.headers.get("x-ratelimit-reset"));
    assert.ok(Number.isInteger(reset) && reset >= 1 && reset <= 60, `relative reset ${reset}`);
  });
});
