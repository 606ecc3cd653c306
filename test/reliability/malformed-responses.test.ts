// Reliability: answers that are not what they claim to be, on the real provider against the emulator.
//
// The emulator's fault injection replaces answers at the edge (like a proxy or a broken deployment would):
// invalid, truncated or empty JSON; `null`, arrays and scalars where an object belongs; objects missing `id`,
// `status` or `spec`; an unknown phase; 5 MB and 25 MB bodies; JSON labelled text/plain; HTML error pages; a 204
// where a GET returns a body. Each must end in either the correct result or a clear error — one that names the
// operation, the connection id (for connection operations), the HTTP status and the X-Request-Id — never a
// TypeError, and never a wrong state: server-side facts are asserted through emulator.control (how many
// connections exist, whether the provider returned the one that was created, what was renamed or deleted).
//
// test/provider/provider-faults.test.ts already covers: an HTML 202 to a POST (adopted), one HTML 502 on GET
// (retried), `{not json` on a GET 200 and MIGRATING set by the emulator on read. This file covers the rest.
//
// Decision on Content-Type: the client only reads bodies labelled JSON (application/json, +json, or no
// Content-Type). Valid JSON labelled text/plain is a clear INVALID_RESPONSE error: such an answer comes from
// something in between (a proxy, a captive portal), and a client that guesses would also "parse" their pages.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CONNECTIONS, Harness, PROVIDER_MARKER, awsArgs, thrown, until, withHarness, type Props,
} from "../support/provider";
import type { Fault } from "../../emulator";

const ITEM = `${CONNECTIONS}/*`;
const READ = "read private link attachment connection";
const CREATE = "create private link attachment connection";
const UPDATE = "update private link attachment connection";
const DELETE = "delete private link attachment connection";
const LIST = "list private link attachment connections";
const HTML_502 = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>${"<p>upstream unavailable</p>".repeat(200)}</body></html>`;

interface Expected {
  operation: string;
  status?: number;
  connectionId?: string;
  requestId?: string;
  /** Further text the message must contain. */
  mentions?: Array<string | RegExp>;
}

/** A clear error: an Error (not a crash from reading a bad body) naming what the design requires. */
function assertClearError(error: any, want: Expected): void {
  assert.ok(error instanceof Error, `not an Error: ${String(error)}`);
  for (const crash of [TypeError, RangeError, SyntaxError, ReferenceError]) {
    assert.ok(!(error instanceof crash), `a crash, not a clear error: ${error.stack}`);
  }
  const message = String(error.message);
  assert.ok(message.length > 0 && message.length < 2000, `message of ${message.length} characters: ${message.slice(0, 300)}`);
  assert.doesNotMatch(message, /\[object Object\]|HTTP undefined|request id undefined|\(undefined in|in undefined\)/, `message leaks a placeholder: ${message}`);
  assert.ok(message.includes(want.operation), `operation "${want.operation}" in: ${message}`);
  if (want.status !== undefined) assert.ok(message.includes(`HTTP ${want.status}`), `HTTP ${want.status} in: ${message}`);
  if (want.connectionId) assert.ok(message.includes(want.connectionId), `connection id ${want.connectionId} in: ${message}`);
  if (want.requestId) assert.ok(message.includes(want.requestId), `request id ${want.requestId} in: ${message}`);
  for (const m of want.mentions ?? []) {
    if (typeof m === "string") assert.ok(message.includes(m), `"${m}" in: ${message}`);
    else assert.match(message, m);
  }
  assert.ok(typeof error.stack === "string" && error.stack.length > 0, "a stack");
}

/** The request a fault answered (its X-Request-Id is what the error must name). */
function answeredBy(h: Harness, fault: Fault): { requestId: string; status: number | "reset" } {
  const hits = h.control.requests().filter((r) => r.faultId === fault.id);
  assert.ok(hits.length > 0, `fault ${fault.id} answered nothing`);
  return hits[hits.length - 1]!;
}

/** The body the emulator would answer a GET with now, changed by `edit`, as JSON text. */
function bodyOf(h: Harness, id: string, edit: (body: Props) => void = () => undefined): string {
  const body = structuredClone(h.control.connection(id)!.body) as Props;
  edit(body);
  return JSON.stringify(body);
}

/** Bodies for a 2xx that cannot be used as a connection (the function gets a real connection to start from). */
type BadBody = [name: string, body: (h: Harness, id: string) => string | undefined, contentType?: string, status?: number];
const UNUSABLE_BODIES: BadBody[] = [
  ["truncated JSON", (h, id) => bodyOf(h, id).slice(0, 80)],
  ["an empty body", () => ""],
  ["null", () => "null"],
  ["an array holding the connection", (h, id) => `[${bodyOf(h, id)}]`],
  ["an empty array", () => "[]"],
  ["a JSON string", () => '"READY"'],
  ["a number", () => "42"],
  ["an object without id", (h, id) => bodyOf(h, id, (b) => delete b.id)],
  ["an id that is not a string", (h, id) => bodyOf(h, id, (b) => (b.id = 12345))],
  ["an object without status", (h, id) => bodyOf(h, id, (b) => delete b.status)],
  ["status: null", (h, id) => bodyOf(h, id, (b) => (b.status = null))],
  ["status without phase", (h, id) => bodyOf(h, id, (b) => delete b.status.phase)],
  ["a numeric phase", (h, id) => bodyOf(h, id, (b) => (b.status.phase = 3))],
  ["an object without spec", (h, id) => bodyOf(h, id, (b) => delete b.spec)],
  ["spec.cloud of a kind nobody knows", (h, id) => bodyOf(h, id, (b) => (b.spec.cloud = { kind: "OciPrivateLinkAttachmentConnection", ocid: "x" }))],
  ["spec.environment missing", (h, id) => bodyOf(h, id, (b) => delete b.spec.environment)],
  ["valid JSON labelled text/plain", (h, id) => bodyOf(h, id), "text/plain"],
  ["an HTML login page", () => "<html><body><form>Sign in</form></body></html>", "text/html; charset=utf-8"],
];

describe("create: a 2xx whose body cannot be used (the POST was applied): the connection is found, never lost or doubled", () => {
  // The created connection's body is not known in advance: the faulty bodies are generic.
  const cases: Array<[string, string, string?]> = [
    ["invalid JSON", "{not json"],
    ["truncated JSON", '{"api_version":"networking/v1","kind":"PrivateLinkAttachmentConnection","id":"plattc-'],
    ["an empty body", ""],
    ["null", "null"],
    ["an array", "[]"],
    ["a number", "7"],
    ["an object without id", '{"status":{"phase":"PROVISIONING"}}'],
    ["an object without status (with an id nobody created)", '{"id":"plattc-ghost1","spec":{}}'],
    ["an object with an unknown phase and no spec", '{"id":"plattc-ghost2","status":{"phase":"MIGRATING"}}'],
    ["valid JSON labelled text/plain", '{"id":"plattc-ghost3","status":{"phase":"PROVISIONING"}}', "text/plain"],
  ];
  for (const [name, body, contentType] of cases) {
    test(name, async () => {
      await withHarness({}, async (h) => {
        h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 202, when: "after", body, ...(contentType ? { contentType } : {}) });
        const { id, outs } = await h.create(awsArgs());
        const all = h.control.connections();
        assert.equal(all.length, 1, "exactly one connection exists");
        assert.equal(id, all[0]!.id, "the provider returned the connection it created");
        assert.equal(outs.phase, "READY");
        assert.equal(h.count("POST", "collection"), 1, "never POSTed twice");
        assert.equal(h.count("GET", "collection"), 0, "the answer's Location named the connection: no list needed");
        assert.ok(!/ghost/.test(JSON.stringify(outs)), "nothing from the unusable body was trusted");
      });
    });
  }

  test("without a Location: one reconciliation list finds the connection", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 202, when: "after", body: "{not json", headers: { Location: null } });
      const { id } = await h.create(awsArgs());
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.equal(h.count("GET", "collection"), 1, "one reconciliation list");
      assert.equal(h.count("POST", "collection"), 1);
    });
  });

  test("…and when the reconciliation list fails once too (500), it is retried and the connection still adopted", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 202, when: "after", body: "null", headers: { Location: null } });
      h.control.injectFault({ method: "GET", path: CONNECTIONS, status: 500, headers: { "Retry-After": "0" } });
      const { id } = await h.create(awsArgs());
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.deepEqual(h.requests({ method: "GET", route: "collection" }).map((r) => r.status), [500, 200]);
      assert.equal(h.count("POST", "collection"), 1);
    });
  });

  test("…and when the reconciliation list answers an unusable body, the error is clear and nothing is POSTed again", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 202, when: "after", body: "{not json", headers: { Location: null } });
      const list = h.control.injectFault({ method: "GET", path: CONNECTIONS, status: 200, body: '{"data": null}' });
      const error = await thrown(() => h.create(awsArgs()));
      assertClearError(error, { operation: LIST, status: 200, requestId: answeredBy(h, list).requestId, mentions: ['"data"'] });
      assert.equal(h.count("POST", "collection"), 1, "an unverifiable create is never sent again");
      assert.equal(h.control.connections().length, 1, "the one connection exists (a later up meets it as a 409 naming it)");
    });
  });
});

describe("create: refused by a proxy with an HTML 502 (not applied)", () => {
  test("reconciled (nothing there), POSTed again up to 3 times, then a clear error; nothing created", async () => {
    await withHarness({}, async (h) => {
      const fault = h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 502, body: HTML_502, contentType: "text/html", count: 3 });
      const error = await thrown(() => h.create(awsArgs()));
      assertClearError(error, { operation: CREATE, status: 502, requestId: answeredBy(h, fault).requestId, mentions: ["text/html"] });
      assert.ok(!error.message.includes("upstream unavailable"), "the page is described, not dumped");
      assert.equal(h.count("POST", "collection"), 3);
      assert.equal(h.count("GET", "collection"), 3, "each ambiguous failure was reconciled before sending again");
      assert.equal(h.control.connections().length, 0);
    });
  });
});

describe("read, update and delete: an HTML 502 on every attempt is retried, then a clear error", () => {
  // Retry-After: 0 keeps the retries fast; the policy is the same as with backoff.
  const always502 = { status: 502, body: HTML_502, contentType: "text/html", count: 100, headers: { "Retry-After": "0" } };

  test("read: 9 attempts (1 + 8 retries), then an error naming the read, the id, 502 and the last request id", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      const fault = h.control.injectFault({ method: "GET", path: ITEM, ...always502 });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      assert.equal(h.count("GET", "item"), 9);
      assertClearError(error, { operation: READ, status: 502, connectionId: id, requestId: answeredBy(h, fault).requestId, mentions: ["after 9 attempts", "text/html"] });
      assert.equal(error.status, 502);
      assert.equal(h.control.connection(id)!.phase, "READY", "still there; a read error is not a deletion");
    });
  });

  test("update: the PATCH is retried, then an init error that keeps the connection in state as it was", async () => {
    await withHarness({}, async (h) => {
      const { id, outs, inputs } = await h.create(awsArgs({ displayName: "before" }));
      h.control.clearRequests();
      const fault = h.control.injectFault({ method: "PATCH", path: ITEM, ...always502 });
      const error = await thrown(() => h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "after" }));
      assert.equal(h.count("PATCH", "item"), 9);
      assertClearError(error, { operation: UPDATE, status: 502, connectionId: id, requestId: answeredBy(h, fault).requestId });
      assert.equal(error.id, id);
      assert.equal(error.properties.__provider, PROVIDER_MARKER);
      assert.equal(error.properties.displayName, "before");
      assert.equal(h.control.connection(id)!.displayName, "before");
    });
  });

  test("delete: retried, then an error; the connection is not deleted and not reported as gone", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      const fault = h.control.injectFault({ method: "DELETE", path: ITEM, ...always502 });
      const error = await thrown(() => h.provider.delete(id, Harness.state(outs)));
      assert.equal(h.count("DELETE", "item"), 9);
      assertClearError(error, { operation: DELETE, status: 502, connectionId: id, requestId: answeredBy(h, fault).requestId });
      assert.equal(h.control.connection(id)!.phase, "READY");
    });
  });
});

describe("read: 2xx answers that are not a usable connection → a clear error, never a crash or a wrong state", () => {
  const cases: BadBody[] = [...UNUSABLE_BODIES, ["204 No Content", () => undefined, undefined, 204]];
  for (const [name, body, contentType, status = 200] of cases) {
    test(name, async () => {
      await withHarness({}, async (h) => {
        const { id, outs } = await h.create(awsArgs());
        const text = body(h, id);
        h.control.clearRequests();
        const fault = h.control.injectFault({
          method: "GET", path: ITEM, status, ...(text !== undefined ? { body: text } : {}), ...(contentType ? { contentType } : {}),
        });
        const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
        assertClearError(error, { operation: READ, status, connectionId: id, requestId: answeredBy(h, fault).requestId });
        assert.equal(error.code, "INVALID_RESPONSE");
        assert.equal(error.status, status);
        assert.equal(h.count("GET", "item"), 1, "a 2xx is not retried");
        assert.equal(h.control.connection(id)!.phase, "READY", "nothing happened to the connection");
      });
    });
  }
});

describe("create: an unusable answer while waiting for READY keeps the connection (init error with its id)", () => {
  const cases: BadBody[] = [
    ["null", () => "null"],
    ["an empty 200", () => ""],
    ["204 No Content", () => undefined, undefined, 204],
    ["an object without status", (h, id) => bodyOf(h, id, (b) => delete b.status)],
    ["valid JSON labelled text/plain", (h, id) => bodyOf(h, id), "text/plain"],
  ];
  for (const [name, body, contentType, status = 200] of cases) {
    test(name, async () => {
      await withHarness({ timing: { provisioningMs: 60_000, deprovisioningMs: 100 } }, async (h) => {
        const inputs = await h.check(awsArgs());
        const creating = h.provider.create(inputs);
        const view = await until(() => h.control.connections()[0], "the POST to be applied");
        const text = body(h, view.id);
        const fault = h.control.injectFault({
          method: "GET", path: ITEM, status, ...(text !== undefined ? { body: text } : {}), ...(contentType ? { contentType } : {}),
        });
        const error = await thrown(() => creating);
        assertClearError(error, { operation: READ, status, connectionId: view.id, requestId: answeredBy(h, fault).requestId });
        assert.equal(error.id, view.id, "the init error carries the id: the connection stays in the stack");
        assert.equal(error.properties.__provider, PROVIDER_MARKER);
        assert.notEqual(error.properties.phase, "READY");
        assert.deepEqual(h.control.connections().map((c) => c.id), [view.id]);

        // The next `up` resumes on the same connection.
        h.control.configure({ timing: { provisioningMs: 1 } });
        h.control.setPhase(view.id, "READY");
        const { outs } = await h.provider.update(view.id, error.properties, inputs);
        assert.equal(outs?.phase, "READY");
        assert.equal(h.count("POST", "collection"), 1);
      });
    });
  }
});

describe("update: a PATCH applied but answered with an unusable 200", () => {
  const cases: BadBody[] = [
    ["invalid JSON", () => "{not json"],
    ["null", () => "null"],
    ["an object without status", (h, id) => bodyOf(h, id, (b) => delete b.status)],
    ["valid JSON labelled text/plain", (h, id) => bodyOf(h, id), "text/plain"],
  ];
  for (const [name, body, contentType] of cases) {
    test(`${name}: an init error keeping the connection; the next update converges`, async () => {
      await withHarness({}, async (h) => {
        const { id, outs, inputs } = await h.create(awsArgs({ displayName: "before" }));
        const fault = h.control.injectFault({ method: "PATCH", path: ITEM, status: 200, when: "after", body: body(h, id), ...(contentType ? { contentType } : {}) });
        const error = await thrown(() => h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "after" }));
        assertClearError(error, { operation: UPDATE, status: 200, connectionId: id, requestId: answeredBy(h, fault).requestId });
        assert.equal(error.id, id);
        assert.equal(error.properties.__provider, PROVIDER_MARKER);
        assert.equal(error.properties.displayName, "before", "state keeps what is known for sure");
        assert.equal(h.control.connection(id)!.displayName, "after", "the PATCH was applied");
        assert.equal(h.count("PATCH", "item"), 1, "a 2xx is not retried");

        const { outs: converged } = await h.provider.update(id, { ...error.properties }, { ...inputs, displayName: "after" });
        assert.equal(converged?.displayName, "after");
        assert.equal(converged?.phase, "READY");
      });
    });
  }
});

describe("delete: odd answers", () => {
  test("an HTML 200 to the DELETE (applied) does not matter: the wait confirms the deletion", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.injectFault({ method: "DELETE", path: ITEM, status: 200, when: "after", body: "<html>deleted</html>", contentType: "text/html" });
      await h.provider.delete(id, Harness.state(outs));
      assert.equal(h.control.connection(id), undefined);
      assert.equal(h.requests({ method: "GET", route: "item" }).at(-1)!.status, 404, "returned only after a 404");
    });
  });

  test("a 204 to a GET while waiting for the deletion: a clear error, not 'gone'", async () => {
    await withHarness({ timing: { provisioningMs: 100, deprovisioningMs: 60_000 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      const fault = h.control.injectFault({ method: "GET", path: ITEM, status: 204 });
      const error = await thrown(() => h.provider.delete(id, Harness.state(outs)));
      assertClearError(error, { operation: READ, status: 204, connectionId: id, requestId: answeredBy(h, fault).requestId });
      assert.equal(h.control.connection(id)!.phase, "DEPROVISIONING", "the deletion is under way, and was not claimed complete");
    });
  });
});

describe("a phase nobody knows yet (MIGRATING)", () => {
  test("create never reports READY: an init error with phase MIGRATING; the next update reads it again and fails clearly, never waiting on it", async () => {
    await withHarness({ timing: { provisioningMs: 60_000, deprovisioningMs: 100 } }, async (h) => {
      const inputs = await h.check(awsArgs());
      const creating = h.provider.create(inputs);
      const view = await until(() => h.control.connections()[0], "the POST to be applied");
      h.control.setPhase(view.id, "MIGRATING");
      const error = await thrown(() => creating);
      assert.ok(!(error instanceof TypeError));
      assert.equal(error.id, view.id);
      assert.equal(error.properties.phase, "MIGRATING");
      assert.equal(error.properties.__provider, PROVIDER_MARKER);
      assert.match(error.message, new RegExp(`${view.id} went to MIGRATING instead of READY`));
      assert.ok(error.reasons.some((r: string) => /reads it again and goes on only if it is READY/.test(r)), error.reasons.join("\n"));
      const again = await thrown(() => h.provider.update(view.id, error.properties, inputs));
      assert.equal(again.id, view.id);
      assert.equal(again.properties.phase, "MIGRATING", "kept as it is, no wait on a phase that may never end");
      assert.match(again.message, /is MIGRATING, not READY, and waiting will not make it so/);
      assert.equal(h.count("POST", "collection"), 1);
    });
  });

  test("read passes a raw MIGRATING body through verbatim, unknown fields and all", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      const body = bodyOf(h, id, (b) => {
        b.status.phase = "MIGRATING";
        b.status.migration = { target: "networking/v2", eta: null };
        b.status.cloud.future_field = "kept";
        b.future_top_level = [1, 2, 3];
      });
      h.control.injectFault({ method: "GET", path: ITEM, status: 200, body });
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.id, id);
      assert.equal(read.props?.phase, "MIGRATING");
      assert.equal(read.props?.cloudStatus?.futureField, "kept");
      assert.deepEqual(read.inputs?.aws, outs.aws);
      assert.ok(h.warnings().some((w) => w.includes(id) && w.includes("MIGRATING")), h.warnings().join("\n"));
    });
  });
});

describe("huge bodies", () => {
  test("5 MB (a huge display name) on read: read correctly, and no log line carries the body", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      const name = "n".repeat(5 * 1024 * 1024);
      h.control.injectFault({ method: "GET", path: ITEM, status: 200, body: bodyOf(h, id, (b) => (b.spec.display_name = name)) });
      h.control.clearRequests();
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(h.count("GET", "item"), 1, "read at the first attempt");
      assert.equal(read.props?.displayName, name);
      assert.equal(read.inputs?.displayName, name);
      assert.equal(read.props?.phase, "READY");
      for (const { line } of h.lines) assert.ok(line.length < 2000, `a log line of ${line.length} characters`);
    });
  });

  test("25 MB on read (over the client's 20 MiB limit): one attempt, then a clear error", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      const fault = h.control.injectFault({ method: "GET", path: ITEM, status: 200, count: 20, body: bodyOf(h, id, (b) => (b.spec.display_name = "n".repeat(25 * 1024 * 1024))) });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      assertClearError(error, { operation: READ, status: 200, connectionId: id, requestId: answeredBy(h, fault).requestId, mentions: [/larger than the client's limit of 20 MiB/] });
      assert.ok(error.message.length < 1000);
      assert.equal(h.count("GET", "item"), 1, "an answer that is too large will be too large again: not retried");
      assert.ok(!h.lines.some((l) => / retry \d+\//.test(l.line)), "no retry was scheduled");
      assert.equal(h.control.connection(id)!.phase, "READY");
    });
  });

  test("25 MB in answer to the POST (applied): the create is treated as ambiguous, reconciled, the connection adopted", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 202, when: "after", body: JSON.stringify({ padding: "p".repeat(25 * 1024 * 1024) }) });
      const { id } = await h.create(awsArgs());
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.equal(h.count("POST", "collection"), 1);
    });
  });
});
