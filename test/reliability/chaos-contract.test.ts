// The "clear error" contract the chaos runs judge every error by.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clarityGaps, isClearError } from "../../chaos/contract";

const facts = { connectionId: "plattc-d5219f", endpointId: "vpce-00000000000000111" };

test("an API error naming the operation, the connection, the status and the request id is clear", () => {
  const e = new Error("read private link attachment connection (plattc-d5219f in env-emu000): HTTP 403 Forbidden: Forbidden Access (request id 60e27bdb-f8c1-423a-b151-ea67b79cf816)");
  assert.deepEqual(clarityGaps(e, { ...facts, requestId: "60e27bdb-f8c1-423a-b151-ea67b79cf816" }), []);
});

test("a create that never got a connection id is clear when it names the endpoint", () => {
  const e = new Error("create private link attachment connection (vpce-00000000000000111 in platt-emuaws): HTTP 429 Too Many Requests (request id 965cf20d-6dc5) after 2 attempts");
  assert.equal(isClearError(e, { endpointId: facts.endpointId }), true);
  assert.deepEqual(clarityGaps(e, { endpointId: "vpce-0000000000000aaaa" }), ["subject"]);
});

test("the deadline, a reported phase or a network failure is a cause; the deadline names its operation", () => {
  assert.deepEqual(clarityGaps(new Error("plattc-d5219f is not READY after 4s: timeouts.create = 4s passed (last phase PROVISIONING)"), facts), []);
  assert.deepEqual(clarityGaps(new Error("plattc-d5219f FAILED: PROVISIONING_FAILED: no capacity (while waiting for READY, timeouts.create = 4s)"), facts), []);
  assert.deepEqual(clarityGaps(new Error("update private link attachment connection (plattc-d5219f in env-emu000): connection failed (ECONNRESET: socket hang up)"), facts), []);
  assert.deepEqual(clarityGaps(new Error("plattc-d5219f disappeared (404) while waiting for READY under timeouts.create = 4s"), facts), []);
  assert.deepEqual(clarityGaps(new Error("plattc-d5219f disappeared (403, and not listed in its environment) while waiting for READY: it was deleted outside this program"), facts), []);
});

test("a message that is merely long is not clear", () => {
  const long = new Error(`Something went wrong while talking to the service; please try again later. ${"Details are unavailable. ".repeat(10)}`);
  assert.ok(long.message.length > 200);
  assert.deepEqual(clarityGaps(long, facts), ["operation", "subject", "cause"]);
});

test("each missing element is named", () => {
  assert.deepEqual(clarityGaps(new Error("plattc-d5219f FAILED: PROVISIONING_FAILED"), facts), ["operation"]);
  assert.deepEqual(clarityGaps(new Error("delete private link attachment connection: HTTP 500 Internal Server Error (request id abc123def)"), facts), ["subject"]);
  assert.deepEqual(clarityGaps(new Error("delete private link attachment connection (plattc-d5219f): it did not work"), facts), ["cause"]);
  assert.deepEqual(clarityGaps(new Error("delete private link attachment connection (plattc-d5219f): HTTP 500 Internal Server Error"), facts), ["request id"]);
  assert.deepEqual(clarityGaps(new Error("delete plattc-d5219f: HTTP 500 (request id other-id-1)"), { ...facts, requestId: "the-id-given-1" }), ["request id"]);
});

test("what is not an Error is never clear", () => {
  assert.deepEqual(clarityGaps({ message: "delete plattc-d5219f: HTTP 500 (request id abcdef)" }, facts), ["not an Error"]);
  assert.deepEqual(clarityGaps("delete plattc-d5219f failed", facts), ["not an Error"]);
});
