// The contract a clear error meets (chaos/contract.ts), clause by clause.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isClear, unmetClauses, type ErrorContext } from "../../chaos/contract";

const RID = "4f1c2b7e-9a0d-4c1e-8f3a-2b6d5e7f8a9c";
const OTHER_RID = "0a0b0c0d-1111-2222-3333-444455556666";
const create: ErrorContext = { operation: "create", subject: "vpce-0ed4d51f5d6ef9b6d" };
const deleting: ErrorContext = { operation: "delete", resourceId: "plattc-abc123", subject: "vpce-0ed4d51f5d6ef9b6d" };
const error = (message: string) => new Error(message);

describe("clear errors", () => {
  const clear: Array<[string, string, ErrorContext]> = [
    ["an API error", `create private link attachment connection (vpce-0ed4d51f5d6ef9b6d in platt-emuaws): HTTP 503 Service Unavailable: busy (request id ${RID}) after 9 attempts`, create],
    ["a deadline", "create private link attachment connection: plattc-abc123 is not READY after 4s: timeouts.create = 4s passed (last phase PROVISIONING)", { ...create, resourceId: "plattc-abc123" }],
    ["the client's deadline, with the last error's request id", `delete private link attachment connection (plattc-abc123 in env-emu000): deadline exceeded; last error: HTTP 429 Too Many Requests (request id ${RID})`, deleting],
    ["a phase the API reported", "create private link attachment connection: plattc-abc123 FAILED: PROVISIONING_FAILED: the endpoint was rejected", { ...create, resourceId: "plattc-abc123" }],
    ["no answer at all", "read private link attachment connection (plattc-abc123 in env-emu000): connection failed (ECONNRESET: socket hang up) after 9 attempts", { ...deleting, operation: "read" }],
    ["a gone connection, by its status in prose", `create private link attachment connection: plattc-abc123 disappeared (404, request id ${RID}) while waiting for READY`, { ...create, resourceId: "plattc-abc123" }],
    ["two request ids", `read private link attachment connection (plattc-abc123 in env-emu000): HTTP 403 Forbidden: Forbidden Access (request id ${RID}). Listing was refused as well (request ids ${RID} and ${OTHER_RID})`, { ...deleting, operation: "read" }],
    ["an endpoint conflict, naming the endpoint only", `aws endpoint vpce-0ed4d51f5d6ef9b6d is already connected to platt-emuaws by plattc-zzz999. Set adoptExisting: true (create private link attachment connection (vpce-0ed4d51f5d6ef9b6d in platt-emuaws): HTTP 409 Conflict: already attached (request id ${RID}))`, create],
  ];
  for (const [name, message, context] of clear) {
    test(name, () => assert.deepEqual(unmetClauses(error(message), context), []));
  }

  test("an Azure endpoint is named whatever its case", () => {
    const id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-1";
    const message = `create private link attachment connection (${id.toLowerCase()} in platt-emuazure): HTTP 500 Internal Server Error: x (request id ${RID})`;
    assert.ok(isClear(error(message), { operation: "create", subject: id }));
  });

  test("request ids the API really sent, with the status named", () => {
    const message = `update private link attachment connection (plattc-abc123 in env-emu000): HTTP 500 Internal Server Error: boom (request id ${RID})`;
    const context: ErrorContext = { ...deleting, operation: "update" };
    assert.deepEqual(unmetClauses(error(message), { ...context, answers: new Map([[RID, 500]]) }), []);
    assert.deepEqual(unmetClauses(error(message), { ...context, answers: new Map([[OTHER_RID, 500]]) }), ["requestId"], "an id the API never sent");
    assert.deepEqual(unmetClauses(error(message), { ...context, answers: new Map([[RID, 200]]) }), ["requestId"], "the id of another answer than the 500");
  });
});

describe("errors that are not clear", () => {
  test("long but saying nothing: every clause is judged, length earns nothing", () => {
    const message = `Something went wrong while talking to Confluent Cloud for plattc-abc123, please try again later. `.repeat(20);
    assert.deepEqual(unmetClauses(error(message), deleting), ["operation", "cause"]);
  });

  test("an HTTP error without its request id", () => {
    const message = "read private link attachment connection (plattc-abc123 in env-emu000): HTTP 500 Internal Server Error: boom";
    assert.deepEqual(unmetClauses(error(message), { ...deleting, operation: "read" }), ["requestId"]);
    assert.deepEqual(unmetClauses(error("create private link attachment connection: plattc-abc123 disappeared (404) while waiting for READY"), { ...create, resourceId: "plattc-abc123" }), ["requestId"]);
  });

  test("another connection or endpoint than the resource's", () => {
    const message = `delete private link attachment connection (plattc-other9 in env-emu000): HTTP 409 Conflict: x (request id ${RID})`;
    assert.deepEqual(unmetClauses(error(message), deleting), ["subject"]);
  });

  test("no operation: a phase alone", () => {
    assert.deepEqual(unmetClauses(error("plattc-abc123 FAILED: PROVISIONING_FAILED: rejected"), { ...create, resourceId: "plattc-abc123" }), ["operation"]);
  });

  test("no cause: neither status, deadline, phase nor transport failure", () => {
    assert.deepEqual(unmetClauses(error("create private link attachment connection (vpce-0ed4d51f5d6ef9b6d in platt-emuaws) did not work"), create), ["cause"]);
  });

  test("not a message: bug classes, garbage, non-errors", () => {
    const good = `create private link attachment connection (vpce-0ed4d51f5d6ef9b6d in platt-emuaws): HTTP 500 Internal Server Error (request id ${RID})`;
    assert.ok(isClear(error(good), create));
    assert.deepEqual(unmetClauses(new TypeError(good), create), ["message"]);
    assert.deepEqual(unmetClauses(error(`${good}: [object Object]`), create), ["message"]);
    assert.deepEqual(unmetClauses(error(`${good}: undefined`), create), ["message"]);
    assert.deepEqual(unmetClauses(good, create), ["message"], "a thrown string");
    assert.deepEqual(unmetClauses(undefined, create), ["message"]);
    assert.deepEqual(unmetClauses(error("   "), create), ["message"]);
  });
});
