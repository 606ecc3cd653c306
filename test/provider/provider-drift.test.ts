// Refresh and drift: out-of-band rename and delete, as `pulumi refresh` (read) and the next preview (diff) and
// `up` (update) see them.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AWS_ATTACHMENT, CONNECTIONS, ENV, Harness, assertApiErrorNames, awsArgs, gcpArgs, goneStatus, testInGoneModes, thrown, withHarness,
} from "../support/provider";

/** Confluent's body for what the caller may not see. */
const FORBIDDEN_ACCESS = { errors: [{ status: "403", detail: "Forbidden Access" }] };

describe("out-of-band rename", () => {
  testInGoneModes("read returns the new name in props and inputs; diff shows an update (no replace); update restores it with one PATCH", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const args = awsArgs({ displayName: "from-program", timeouts: { create: "30m" } });
      const { id, outs, inputs } = await h.create(args);
      h.control.rename(id, "renamed-in-console");

      h.control.clearRequests();
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(h.control.requests().length, 1, "refresh is one GET");
      assert.equal(read.id, id);
      assert.equal(read.props?.displayName, "renamed-in-console");
      assert.equal(read.inputs?.displayName, "renamed-in-console");
      // The refreshed inputs are what a program with that name would give: no drift against themselves…
      assert.deepEqual(read.inputs, {
        displayName: "renamed-in-console",
        environment: args.environment,
        privateLinkAttachment: args.privateLinkAttachment,
        aws: args.aws,
        timeouts: { create: "30m" },
      });
      assert.equal((await h.provider.diff(id, Harness.state(read.props), await h.check(read.inputs))).changes, false);

      // …and the program's own inputs now differ: an in-place update.
      const diff = await h.provider.diff(id, Harness.state(read.props), inputs);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
      assert.equal(diff.deleteBeforeReplace, false);

      h.control.clearRequests();
      const { outs: updated } = await h.provider.update(id, Harness.state(read.props), inputs);
      assert.deepEqual(h.control.requests().map((r) => r.method), ["PATCH"]);
      assert.equal(h.control.connection(id)!.displayName, "from-program");
      assert.equal(updated?.displayName, "from-program");
      assert.deepEqual(updated?.timeouts, { create: "30m" });
      assert.equal((await h.provider.diff(id, Harness.state(updated), inputs)).changes, false);
    });
  });

  testInGoneModes("name removed out-of-band: the program's name comes back; a program without a name clears it", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const args = gcpArgs({ displayName: "named" });
      const { id, outs, inputs } = await h.create(args);
      h.control.rename(id, null);
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.props?.displayName, undefined);
      assert.equal("displayName" in (read.inputs ?? {}), false);
      assert.equal((await h.provider.diff(id, Harness.state(read.props!), inputs)).changes, true);
      const { outs: restored } = await h.provider.update(id, Harness.state(read.props!), inputs);
      assert.equal(h.control.connection(id)!.displayName, "named");

      // The program drops displayName: the name is cleared on the server, and stays without drift.
      const unnamed = await h.check({ ...args, displayName: undefined });
      assert.equal((await h.provider.diff(id, Harness.state(restored!), unnamed)).changes, true);
      const { outs: cleared } = await h.provider.update(id, Harness.state(restored!), unnamed);
      assert.ok(!h.control.connection(id)!.displayName, "no name on the server");
      assert.equal(cleared?.displayName, undefined);
      const again = await h.provider.read(id, Harness.state(cleared!));
      assert.equal((await h.provider.diff(id, Harness.state(again.props!), unnamed)).changes, false);
    });
  });

  testInGoneModes("a rename in the console to the program's own name is not drift", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const { id, outs, inputs } = await h.create(awsArgs({ displayName: "same" }));
      h.control.rename(id, "same");
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal((await h.provider.diff(id, Harness.state(read.props!), inputs)).changes, false);
    });
  });
});

describe("out-of-band delete", () => {
  testInGoneModes("gone at once: read returns no id (removed from state)", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.deleteConnection(id);
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.id, undefined);
      assert.equal(read.props, undefined);
      assert.deepEqual(h.requests({ route: "item" }).at(-1)!.status, goneStatus(gone));
    });
  });

  testInGoneModes("still DEPROVISIONING: read keeps it with phase DEPROVISIONING and warns", async (gone) => {
    await withHarness({ ...gone, timing: { provisioningMs: 50, deprovisioningMs: 60_000 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.deleteConnection(id, { graceful: true });
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.id, id);
      assert.equal(read.props?.phase, "DEPROVISIONING");
      assert.ok(h.warnings().some((w) => w.includes(id) && w.includes("DEPROVISIONING")));
    });
  });

  testInGoneModes("refresh after our own delete finished: no id", async (gone) => {
    await withHarness({ ...gone, timing: { provisioningMs: 50, deprovisioningMs: 100 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      await h.provider.delete(id, Harness.state(outs));
      assert.deepEqual(await h.provider.read(id, Harness.state(outs)), {});
    });
  });
});

describe("gone in every way the API can say it", () => {
  testInGoneModes("a connection that never existed: read returns no id, after one GET (and, for a 403, the list)", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const read = await h.provider.read("plattc-nosuch", { environment: { id: ENV }, privateLinkAttachment: { id: AWS_ATTACHMENT } });
      assert.deepEqual(read, {});
      const seen = h.control.requests().map((r) => `${r.method} ${r.route === CONNECTIONS ? "list" : "item"} ${r.status}`);
      assert.deepEqual(seen, [`GET item ${goneStatus(gone)}`, ...(gone.goneAs403 ? ["GET list 200"] : [])]);
      if (gone.goneAs403) {
        assert.deepEqual(h.requests({ route: "collection" })[0]!.query, { environment: ENV, "spec.private_link_attachment": AWS_ATTACHMENT, page_size: "100" }, "filtered by the attachment");
        assert.ok(h.lines.some((l) => l.line.includes("plattc-nosuch: HTTP 403 and not listed")), "says why a 403 counts as gone");
      }
    });
  });

  testInGoneModes("state naming another environment the caller can see: read returns no id", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      h.control.addEnvironment("env-second");
      const { id, outs } = await h.create(awsArgs());
      assert.deepEqual(await h.provider.read(id, Harness.state({ ...outs, environment: { id: "env-second" } })), {});
      assert.equal(h.control.connection(id)!.phase, "READY", "nothing was deleted");
    });
  });

  testInGoneModes("update after an out-of-band delete: says it was deleted outside Pulumi and to refresh", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const args = awsArgs({ displayName: "before" });
      const { id, outs } = await h.create(args);
      h.control.deleteConnection(id);
      const error = await thrown(async () => h.provider.update(id, Harness.state(outs), await h.check({ ...args, displayName: "after" })));
      assert.match(error.message, new RegExp(`${id} was deleted outside Pulumi`));
      assert.match(error.message, /pulumi refresh/);
      assert.ok(error.message.includes(`HTTP ${goneStatus(gone)}`), error.message);
      assert.equal(error.id, undefined, "not an init error: nothing is kept in state for it");
    });
  });

  testInGoneModes("update resuming a create whose connection was deleted meanwhile: the same message", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const args = awsArgs();
      const { id, outs } = await h.create(args);
      h.control.deleteConnection(id);
      const error = await thrown(async () => h.provider.update(id, Harness.state({ ...outs, phase: "PROVISIONING" }), await h.check(args)));
      assert.match(error.message, new RegExp(`${id} was deleted outside Pulumi`));
      const goneRead = h.requests({ method: "GET", route: "item" }).filter((r) => r.status === (gone.goneAs403 ? 403 : 404)).at(-1)!;
      assert.match(error.message, new RegExp(`disappeared \\(${gone.goneAs403 ? "403, and not listed in its environment" : "404"}; request id ${goneRead.requestId}\\)`));
    });
  });
});

describe("a 403 that does not mean gone is never 'deleted'", () => {
  test("read refused while the connection is listed: an error saying it exists and the request was refused; state kept", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      h.control.injectFault({ method: "GET", path: `${CONNECTIONS}/*`, status: 403, body: FORBIDDEN_ACCESS });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      const [read] = h.requests({ route: "item" });
      assert.equal(error.status, 403);
      assertApiErrorNames(error, { operation: "read private link attachment connection", status: 403, connectionId: id, detail: "Forbidden Access", requestId: read!.requestId });
      assert.match(error.message, new RegExp(`${id} is listed in ${AWS_ATTACHMENT} in ${ENV}, so it exists and this request was refused`));
      assert.doesNotMatch(error.message, /deleted|gone/i);
      assert.equal(h.count("GET", "collection"), 1);
    });
  });

  test("read refused and the list refused too: the credentials lack access, both request ids, never 'deleted'", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      h.control.injectFault({ method: "GET", path: `${CONNECTIONS}*`, status: 403, body: FORBIDDEN_ACCESS, count: 2 });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      const [read, list] = h.control.requests();
      assert.equal(read!.route, `${CONNECTIONS}/{id}`);
      assert.equal(list!.route, CONNECTIONS);
      assert.equal(error.status, 403);
      assert.ok(error.message.includes(read!.requestId) && error.message.includes(list!.requestId), `both request ids in: ${error.message}`);
      assert.match(error.message, /the credentials lack access to this environment/);
      assert.match(error.message, /it is not treated as deleted/);
      assert.ok(error.message.includes(id));
    });
  });

  testInGoneModes("delete refused while the connection is listed: an error, the connection stays", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.injectFault({ method: "DELETE", path: `${CONNECTIONS}/*`, status: 403, body: FORBIDDEN_ACCESS });
      const error = await thrown(() => h.provider.delete(id, Harness.state(outs)));
      assertApiErrorNames(error, { operation: "delete private link attachment connection", status: 403, connectionId: id, detail: "Forbidden Access" });
      assert.match(error.message, /so it exists and this request was refused/);
      assert.equal(h.control.connection(id)!.phase, "READY");
    });
  });

  test("the delete wait refused once the list is refused too: an error, not 'deleted'", async () => {
    await withHarness({ timing: { provisioningMs: 50, deprovisioningMs: 60_000 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      // The DELETE is accepted; every later read and list of the environment is refused.
      h.control.injectFault({ method: "GET", path: `${CONNECTIONS}*`, status: 403, body: FORBIDDEN_ACCESS, count: 100 });
      const error = await thrown(() => h.provider.delete(id, Harness.state(outs)));
      assert.match(error.message, /the credentials lack access/);
      assert.equal(h.control.connection(id)!.phase, "DEPROVISIONING");
    });
  });

  test("update refused while listed: an init error keeping the connection, not 'deleted outside Pulumi'", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "before" });
      const { id, outs } = await h.create(args);
      h.control.injectFault({ method: "PATCH", path: `${CONNECTIONS}/*`, status: 403, body: FORBIDDEN_ACCESS });
      const error = await thrown(async () => h.provider.update(id, Harness.state(outs), await h.check({ ...args, displayName: "after" })));
      assert.equal(error.id, id);
      assert.equal(error.properties.displayName, "before");
      assert.match(error.message, /so it exists and this request was refused/);
      assert.doesNotMatch(error.message, /deleted outside/);
    });
  });
});
