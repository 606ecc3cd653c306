// Every fault the emulator can inject, against the provider: 429 storms (each header combination), 5xx,
// connection resets before and after a POST is applied, slow answers, FAILED, DISCONNECTED, never READY, 403.
// Each test asserts what the server saw (emulator.control), not only what the provider returned.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CONNECTIONS, ENV, Harness, PROVIDER_MARKER, assertApiErrorNames, awsArgs, testInGoneModes, thrown, until, withHarness, type Props,
} from "../support/provider";
import { SteppingClock } from "../support/clock";
import { DEFAULT_POLL_POLICY } from "../../provider/core/poll";

const ITEM = `${CONNECTIONS}/*`;

function gapsMs(h: Harness, method: string): number[] {
  const at = h.requests({ method }).map((r) => Date.parse(r.at));
  return at.slice(1).map((t, i) => t - at[i]!);
}

describe("429 storms on create (POST is retried on 429 only)", () => {
  const storms: [string, Record<string, string | null>, number, number][] = [
    // name, header overrides of the injected 429 (default: Retry-After 1, X-RateLimit-Reset 1), count, min gap ms
    ["Retry-After only", { "X-RateLimit-Reset": null }, 2, 1000],
    ["X-RateLimit-Reset only", { "Retry-After": null }, 2, 1000],
    ["both: the larger one wins", { "Retry-After": "1", "X-RateLimit-Reset": "2" }, 1, 2000],
    // No delay at all: jittered backoff, and the throttle's fallback pause (1 s) keeps everyone back.
    ["neither", { "Retry-After": null, "X-RateLimit-Reset": null }, 2, 950],
  ];
  for (const [name, headers, count, minGap] of storms) {
    test(`${name}: success, one connection, every wait honoured`, async () => {
      await withHarness({}, async (h) => {
        h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 429, count, headers });
        const { id, outs } = await h.create(awsArgs());
        assert.equal(outs.phase, "READY");
        const posts = h.requests({ method: "POST" });
        assert.deepEqual(posts.map((r) => r.status), [...Array<number>(count).fill(429), 202]);
        for (const gap of gapsMs(h, "POST")) assert.ok(gap >= minGap, `retried after ${gap} ms, expected >= ${minGap} ms`);
        assert.equal(h.count("GET", "collection"), 0, "a 429 is not ambiguous: no reconciliation needed");
        assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      });
    });
  }
});

describe("5xx", () => {
  for (const status of [500, 502, 503]) {
    test(`${status} on GET is retried`, async () => {
      await withHarness({}, async (h) => {
        const { id, outs } = await h.create(awsArgs());
        h.control.clearRequests();
        h.control.injectFault({ method: "GET", path: ITEM, status });
        const read = await h.provider.read(id, Harness.state(outs));
        assert.equal(read.id, id);
        assert.equal(read.props?.phase, "READY");
        assert.deepEqual(h.control.requests().map((r) => r.status), [status, 200]);
      });
    });
  }

  test("501 on GET is not retried: an error naming operation, id, status, detail and request id", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      const fault = h.control.injectFault({ method: "GET", path: ITEM, status: 501 });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      const [only, ...more] = h.control.requests();
      assert.equal(more.length, 0, "not retried");
      assert.equal(error.status, 501);
      assert.equal(error.operation, "read");
      assert.equal(error.connectionId, id);
      assertApiErrorNames(error, { operation: "read private link attachment connection", status: 501, detail: `fault ${fault.id} injected by the emulator`, requestId: only!.requestId, connectionId: id });
    });
  });

  test("503 on POST before it is applied: reconciled by listing (nothing), POSTed again, one connection", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 503 });
      const { id } = await h.create(awsArgs());
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), [503, 202]);
      const lists = h.requests({ method: "GET", route: "collection" });
      assert.equal(lists.length, 1, "one reconciliation list");
      assert.deepEqual(lists[0]!.query, { environment: ENV, "spec.private_link_attachment": "platt-emuaws", page_size: "100" });
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
    });
  });

  test("500 on POST after it was applied: the created connection is adopted, no second POST", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 500, when: "after" });
      const args = awsArgs();
      const { id, outs } = await h.create(args);
      assert.equal(h.count("POST", "collection"), 1);
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.equal(outs.phase, "READY");
      assert.equal(outs.displayName, args.displayName);
    });
  });

  test("501 on POST: not retried, not reconciled, nothing created", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 501 });
      const args = awsArgs();
      const error = await thrown(() => h.create(args));
      assert.equal(h.control.requests().length, 1);
      assert.equal(h.control.connections().length, 0);
      assert.equal(error.id, undefined, "no init error: nothing exists");
      assertApiErrorNames(error, { operation: "create private link attachment connection", status: 501, requestId: h.control.requests()[0]!.requestId });
      assert.ok(error.message.includes(args.aws.vpcEndpointId), "names the endpoint (no connection id exists yet)");
    });
  });
});

describe("connection reset on create", () => {
  test("before the POST is applied: reconcile finds nothing, POST again, exactly one connection", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
      const { id } = await h.create(awsArgs());
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), ["reset", 202]);
      assert.equal(h.count("GET", "collection"), 1);
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.ok(h.lines.some((l) => /failed in transit and created nothing/.test(l.line)));
    });
  });

  test("after the POST is applied: the provider adopts the connection it created, no second POST", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true, when: "after" });
      const { id, outs } = await h.create(awsArgs());
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), ["reset"]);
      assert.equal(h.count("GET", "collection"), 1);
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.equal(outs.phase, "READY");
      assert.ok(h.lines.some((l) => l.line.includes(`${id}: the create request failed in transit but the connection was created`)));
    });
  });

  test("a reset on every POST attempt: gives up after 3 POSTs, still at most one connection", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true, count: 10 });
      const error = await thrown(() => h.create(awsArgs()));
      assert.equal(h.count("POST", "collection"), 3);
      assert.equal(h.control.connections().length, 0);
      assert.match(error.message, /create private link attachment connection/);
      assert.match(error.message, /may have been applied/);
    });
  });
});

describe("slow answers beyond attemptTimeoutMs", () => {
  test("a slow GET is abandoned and retried", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "GET", path: ITEM, delayMs: 1000 });
      const { id, outs } = await h.create(awsArgs());
      assert.equal(outs.phase, "READY");
      const gets = h.requests({ method: "GET", route: "item" });
      assert.ok(gets[0]!.faultId !== undefined, "the first poll was the slow one");
      assert.ok(gets.length >= 2);
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
    }, { attemptTimeoutMs: 300 });
  });

  test("a slow POST (applied after the client gave up) never yields a second connection", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, delayMs: 800 });
      const { id } = await h.create(awsArgs());
      await until(() => h.requests({ method: "POST" }).every((r) => r.status !== 0), "the slow POST to be answered");
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      // Whichever came first — the slow POST applied before the provider's list (found, no second POST) or after
      // it (the retry created the connection and the late one met it: 409) — exactly one request created.
      // provider-late-create.test.ts drives the second order deterministically.
      const statuses = h.requests({ method: "POST" }).map((r) => r.status).sort();
      assert.equal(statuses.filter((s) => s === 202).length, 1, JSON.stringify(statuses));
      assert.ok(statuses.every((s) => s === 202 || s === 409) && statuses.length <= 2, JSON.stringify(statuses));
    }, { attemptTimeoutMs: 300 });
  });
});

describe("a create cut off by timeouts.create", () => {
  test("the POST applied but answered after the deadline: the connection is found and kept as an init error", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, when: "after", delayMs: 2500 });
      const inputs = await h.check(awsArgs({ timeouts: { create: "1s" } }));
      const error = (await h.provider.create(inputs).then(() => assert.fail("create succeeded"), (e: unknown) => e)) as Props;
      const [server] = h.control.connections();
      assert.ok(server, "the POST was applied");
      assert.equal(error.id, server.id, `the error carries the created connection's id: ${error.message}`);
      assert.equal(error.properties.__provider, PROVIDER_MARKER);
      assert.match(error.message, /timeouts\.create/);
      assert.equal(h.count("POST", "collection"), 1, "no second POST");
    });
  });

  test("nothing created by the deadline: a clear error that says how to adopt a late creation", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, delayMs: 2500 });
      const inputs = await h.check(awsArgs({ timeouts: { create: "1s" } }));
      const error = (await h.provider.create(inputs).then(() => assert.fail("create succeeded"), (e: unknown) => e)) as Error;
      assert.match(error.message, /adoptExisting/);
      assert.equal((error as Props).id, undefined);
    });
  });
});

describe("raw bodies from something in between (proxies)", () => {
  test("POST applied, answered 202 with an HTML body: the connection is found and adopted, no second POST", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 202, when: "after", body: "<html>accepted</html>", contentType: "text/html" });
      const { id, outs } = await h.create(awsArgs());
      assert.equal(outs.phase, "READY");
      assert.equal(h.count("POST", "collection"), 1);
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
    });
  });

  test("POST applied, 202 with an unreadable body while listing fails: its Location names the connection, kept", async () => {
    await withHarness({}, async (h) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, status: 202, when: "after", body: "{not json" });
      h.control.injectFault({ method: "GET", path: CONNECTIONS, status: 403, count: 50 });
      const { id, outs } = await h.create(awsArgs());
      assert.equal(outs.phase, "READY");
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.equal(h.count("GET", "collection"), 0, "no reconciliation list was needed");
    });
  });

  test("a 502 HTML page from a proxy on GET is retried", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      h.control.injectFault({ method: "GET", path: ITEM, status: 502, body: "<html><body>Bad Gateway</body></html>", contentType: "text/html" });
      assert.equal((await h.provider.read(id, Harness.state(outs))).props?.phase, "READY");
      assert.deepEqual(h.control.requests().map((r) => r.status), [502, 200]);
    });
  });

  test("a 200 with a body that is not JSON: an error naming the read, the connection and the request id", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      h.control.injectFault({ method: "GET", path: ITEM, status: 200, body: "{not json" });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      assert.equal(error.code, "INVALID_RESPONSE");
      assertApiErrorNames(error, { operation: "read private link attachment connection", status: 200, connectionId: id, requestId: h.control.requests()[0]!.requestId });
      assert.match(error.message, /not valid JSON/);
    });
  });
});

describe("phases other than READY", () => {
  test("FAILED: init error with id, properties (incl. __provider, phase FAILED) and reasons; resumable by update", async () => {
    await withHarness({ timing: { provisioningMs: 300, deprovisioningMs: 100 } }, async (h) => {
      const inputs = await h.check(awsArgs({ timeouts: { create: "1m" } }));
      const creating = h.provider.create(inputs);
      const view = await until(() => h.control.connections()[0], "the POST to be applied");
      h.control.setPhase(view.id, "FAILED", { errorCode: "QUOTA_EXCEEDED", errorMessage: "too many endpoints" });
      const error = await thrown(() => creating);
      assert.equal(error.id, view.id);
      assert.equal(error.properties.__provider, PROVIDER_MARKER);
      assert.equal(error.properties.phase, "FAILED");
      assert.equal(error.properties.errorCode, "QUOTA_EXCEEDED");
      assert.equal(error.properties.errorMessage, "too many endpoints");
      assert.deepEqual(error.properties.timeouts, { create: "1m" });
      assert.deepEqual(error.properties.environment, { id: ENV });
      assert.ok(error.reasons.some((r: string) => r.includes("error_code: QUOTA_EXCEEDED")), error.reasons.join("\n"));
      assert.ok(error.reasons.some((r: string) => r.includes("error_message: too many endpoints")), error.reasons.join("\n"));
      assert.match(error.message, new RegExp(`^create private link attachment connection: ${view.id} FAILED: QUOTA_EXCEEDED: too many endpoints`));

      assert.ok(error.reasons.some((r: string) => /kept in the stack as FAILED; the next `pulumi up` replaces it/.test(r)), error.reasons.join("\n"));

      // The next `up` replaces it: the diff asks for a replacement, deleting first (same endpoint); the engine then
      // deletes the FAILED connection (waiting until it is gone) and creates a new one.
      const diff = await h.provider.diff(view.id, error.properties, inputs);
      assert.deepEqual(diff.replaces, ["phase"]);
      assert.equal(diff.deleteBeforeReplace, true);
      await h.provider.delete(view.id, error.properties);
      assert.deepEqual(h.control.connections(), [], "the FAILED connection is gone before the new one is made");
      const created = await h.provider.create(inputs);
      assert.notEqual(created.id, view.id);
      assert.equal(created.outs?.phase, "READY");
      assert.deepEqual(h.control.connections().map((c) => c.id), [created.id]);
    });
  });

  test("never READY (held) with timeouts.create = 10m: init error exactly at the deadline, naming it; update resumes after release", async () => {
    // The provider's clock steps with its own sleeps: ten minutes of waiting take no real time, and when it gave up is
    // exact, so giving up late (or early) fails the test on any machine.
    const clock = new SteppingClock();
    await withHarness({ timing: { provisioningMs: 300, deprovisioningMs: 100 } }, async (h) => {
      const stopHolding = h.control.onCreated((view) => h.control.hold(view.id));
      const inputs = await h.check(awsArgs({ timeouts: { create: "10m" } }));
      const error = await thrown(() => h.provider.create(inputs));
      stopHolding();
      const [view] = h.control.connections();
      assert.equal(clock.elapsed(), 600_000, "gave up when timeouts.create = 10m had passed on the provider's clock, not before or after");
      assert.equal(h.count("GET", "item"), clock.sleeps.length, "one read after each sleep, none once the deadline had passed");
      assert.equal(error.id, view!.id);
      assert.match(error.message, new RegExp(`^create private link attachment connection: ${view!.id} is not READY after 10m00s: timeouts\\.create = 10m passed \\(last phase PROVISIONING\\)`));
      assert.equal(error.properties.__provider, PROVIDER_MARKER);
      assert.equal(error.properties.phase, "PROVISIONING");
      assert.ok(error.reasons.some((r: string) => /resumes waiting/.test(r)));
      assert.equal(h.control.connection(view!.id)!.phase, "PROVISIONING");

      h.control.hold(view!.id, false);
      h.control.clearRequests();
      const { outs } = await h.provider.update(view!.id, error.properties, inputs);
      assert.equal(outs?.phase, "READY");
      assert.ok(outs?.cloudStatus?.vpcEndpointServiceName, "status.cloud filled once READY");
      assert.equal(h.count("POST", "collection"), 0);
      assert.deepEqual(h.control.connections().map((c) => c.id), [view!.id]);
    }, { clock, pollPolicy: DEFAULT_POLL_POLICY });
  });

  test("DISCONNECTED on read: phase output DISCONNECTED and a warning; still in state", async () => {
    await withHarness({}, async (h) => {
      const { id, outs, inputs } = await h.create(awsArgs());
      h.control.setPhase(id, "DISCONNECTED");
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.id, id);
      assert.equal(read.props?.phase, "DISCONNECTED");
      assert.equal(read.props?.errorCode, "ENDPOINT_DELETED");
      assert.ok(h.warnings().some((w) => w.includes(id) && w.includes("DISCONNECTED") && w.includes("ENDPOINT_DELETED")), h.warnings().join("\n"));
      assert.ok(h.warnings().some((w) => w.includes("Pulumi cannot reconnect it")), h.warnings().join("\n"));
      // The drift check reports it, as an update (never a replacement the user did not ask for)...
      const diff = await h.provider.diff(id, Harness.state(read.props), inputs);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
      // ...and `up` fails on it, saying what to do, the connection kept as it is now.
      h.control.clearRequests();
      const error = await thrown(() => h.provider.update(id, Harness.state(read.props!), inputs));
      assert.equal(error.id, id);
      assert.equal(error.properties.phase, "DISCONNECTED");
      assert.match(error.message, /is DISCONNECTED \(ENDPOINT_DELETED: .*\): its AWS endpoint vpce-\w+ was deleted or rejected on the cloud side.*pulumi up --replace/);
      assert.equal(h.count("PATCH", "item") + h.count("DELETE", "item") + h.count("POST", "collection"), 0);
      // Once the endpoint is back (READY again), the update records it and succeeds.
      h.control.setPhase(id, null);
      const { outs: updated } = await h.provider.update(id, Harness.state(read.props), inputs);
      assert.equal(updated?.phase, "READY");
      assert.equal((await h.provider.diff(id, Harness.state(updated), inputs)).changes, false);
    });
  });

  test("a DISCONNECTED connection is not renamed: the update fails first, saying why", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "old" });
      const { id, outs } = await h.create(args);
      h.control.setPhase(id, "DISCONNECTED");
      const read = await h.provider.read(id, Harness.state(outs));
      const renamed = await h.check({ ...args, displayName: "new" });
      h.control.clearRequests();
      const error = await thrown(() => h.provider.update(id, Harness.state(read.props!), renamed));
      assert.match(error.message, /DISCONNECTED/);
      assert.equal(h.control.connection(id)!.displayName, "old");
      assert.equal(h.count("PATCH", "item"), 0);
    });
  });

  test("an unknown future phase on read passes through verbatim", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.setPhase(id, "MIGRATING");
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.props?.phase, "MIGRATING");
      assert.ok(h.warnings().some((w) => w.includes("MIGRATING")));
    });
  });

  testInGoneModes("deleted out-of-band while waiting for READY: a plain error, no init error", async (gone) => {
    await withHarness({ ...gone, timing: { provisioningMs: 5000, deprovisioningMs: 100 } }, async (h) => {
      const creating = h.provider.create(await h.check(awsArgs()));
      const view = await until(() => h.control.connections()[0], "the POST to be applied");
      h.control.deleteConnection(view.id);
      const error = await thrown(() => creating);
      // The operation, and the request id of the read that found it gone.
      const goneRead = h.requests({ method: "GET", route: "item" }).filter((r) => r.status === (gone.goneAs403 ? 403 : 404)).at(-1)!;
      const how = gone.goneAs403 ? "403, and not listed in its environment" : "404";
      assert.match(error.message, new RegExp(`^create private link attachment connection: ${view.id} disappeared \\(${how}; request id ${goneRead.requestId}\\) while waiting for READY`));
      assert.equal(error.properties, undefined);
    });
  });
});

describe("403 is never 'gone' while the connection is listed", () => {
  test("read answered 403: throws with every detail, keeps the resource", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      const fault = h.control.injectFault({ method: "GET", path: ITEM, status: 403 });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      assert.equal(error.status, 403);
      assertApiErrorNames(error, {
        operation: "read private link attachment connection", status: 403, connectionId: id,
        detail: `fault ${fault.id} injected by the emulator`, requestId: h.control.requests()[0]!.requestId,
      });
      assert.deepEqual(h.control.requests().map((r) => `${r.method} ${r.route} ${r.status}`), [`GET ${CONNECTIONS}/{id} 403`, `GET ${CONNECTIONS} 200`], "not retried; checked by listing");
      assert.match(error.message, /so it exists and this request was refused/);
    });
  });

  test("delete answered 403: throws (not treated as already deleted)", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      h.control.injectFault({ method: "DELETE", path: ITEM, status: 403 });
      const error = await thrown(() => h.provider.delete(id, Harness.state(outs)));
      assertApiErrorNames(error, { operation: "delete private link attachment connection", status: 403, connectionId: id, requestId: h.control.requests()[0]!.requestId });
      assert.equal(h.control.connection(id)!.phase, "READY");
    });
  });

  test("an unknown environment answers 403 on read: an error, not a deletion", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      const error = await thrown(() => h.provider.read(id, { ...Harness.state(outs), environment: { id: "env-notmine" } }));
      assert.equal(error.status, 403);
      assert.match(error.message, /environment 'env-notmine' does not exist or you are not allowed to access it/);
    });
  });
});

describe("ApiError messages name operation, connection id, status, detail and X-Request-Id", () => {
  test("update (PATCH 400) keeps the connection in state as an init error with the API's words", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "a" });
      const { id, outs } = await h.create(args);
      h.control.clearRequests();
      const fault = h.control.injectFault({ method: "PATCH", path: ITEM, status: 400 });
      const error = await thrown(async () => h.provider.update(id, Harness.state(outs), await h.check({ ...args, displayName: "b" })));
      assertApiErrorNames(error, {
        operation: "update private link attachment connection", status: 400, connectionId: id,
        detail: `fault ${fault.id} injected by the emulator`, requestId: h.control.requests()[0]!.requestId,
      });
      assert.equal(error.id, id);
      assert.equal(error.properties.__provider, PROVIDER_MARKER);
      assert.equal(error.properties.displayName, "a", "state keeps the name the server still has");
    });
  });

  test("create refused by the API (422): names the operation, the endpoint, the detail and the request id", async () => {
    await withHarness({}, async (h) => {
      h.control.addEnvironment("env-other");
      const args: Props = awsArgs({ privateLinkAttachment: { id: "platt-missing" } });
      const error = await thrown(() => h.create(args));
      assertApiErrorNames(error, {
        operation: "create private link attachment connection", status: 422,
        detail: "private link attachment 'platt-missing' not found in environment 'env-emu000'", requestId: h.control.requests()[0]!.requestId,
      });
      assert.ok(error.message.includes(args.aws.vpcEndpointId));
      assert.equal(h.control.requests().length, 1);
    });
  });
});
