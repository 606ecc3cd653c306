// The provider's lifecycle against the emulator over loopback: create → READY on every cloud, outputs, update
// without API-visible changes, delete waiting for the 404, delete timeout, 409 with and without adoptExisting,
// and the READY-detection delay of the default poll policy.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PrivateLinkAttachmentConnectionProvider } from "../../provider/connection/provider";
import {
  AWS_ATTACHMENT, CONNECTIONS, ENV, Harness, configRequest, PROVIDER_MARKER, awsArgs, azureArgs, gcpArgs, goneStatus, testInGoneModes, thrown, withHarness, type Props,
} from "../support/provider";
import { SteppingClock } from "../support/clock";
import { DEFAULT_POLL_POLICY } from "../../provider/core/poll";

const PROVISIONING_MS = 200;

function assertCreatedOutputs(h: Harness, id: string, outs: Props, args: Props): void {
  const view = h.control.connection(id);
  assert.ok(view, `the emulator knows ${id}`);
  assert.equal(view.phase, "READY");
  const body = view.body as any;
  assert.equal(outs.phase, "READY");
  assert.equal(outs.displayName, args.displayName);
  assert.deepEqual(outs.environment, { id: ENV });
  assert.deepEqual(outs.privateLinkAttachment, args.privateLinkAttachment);
  assert.equal(outs.resourceName, body.metadata.resource_name);
  assert.match(outs.resourceName, /^crn:\/\/confluent\.cloud\/.*private-link-attachment-connection=plattc-/);
  assert.equal(outs.createdAt, body.metadata.created_at);
  assert.equal(outs.updatedAt, body.metadata.updated_at);
  assert.equal(outs.errorCode, undefined);
  assert.equal(outs.errorMessage, undefined);
  // status.cloud in camelCase, without kind.
  const expectedCloud: Record<string, string> = {};
  for (const [k, v] of Object.entries(body.status.cloud as Record<string, string>)) {
    if (k !== "kind") expectedCloud[k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = v;
  }
  assert.deepEqual(outs.cloudStatus, expectedCloud);
  assert.equal("kind" in outs.cloudStatus, false);
  assert.equal("__provider" in outs, false, "outputs never carry the serialized provider (the engine adds it)");
  for (const key of Object.keys(outs)) assert.ok(!key.includes("_"), `camelCase output key ${key}`);
}

describe("create → READY", () => {
  const clouds: [string, () => Props, string[]][] = [
    ["AWS", () => awsArgs(), ["vpcEndpointId", "vpcEndpointServiceName"]],
    ["Azure", () => azureArgs(), ["privateEndpointResourceId", "privateLinkServiceAlias", "privateLinkServiceResourceId"]],
    ["GCP", () => gcpArgs(), ["privateServiceConnectConnectionId", "privateServiceConnectServiceAttachment"]],
  ];
  for (const [cloud, makeArgs, cloudStatusKeys] of clouds) {
    test(`${cloud}: one POST, READY outputs, returns within a poll interval of READY`, async () => {
      await withHarness({ timing: { provisioningMs: PROVISIONING_MS, deprovisioningMs: 100 } }, async (h) => {
        const args = makeArgs();
        const { id, outs } = await h.create(args);
        const returnedAt = Date.now();
        assert.match(id, /^plattc-/);
        assertCreatedOutputs(h, id, outs, args);
        assert.deepEqual(Object.keys(outs.cloudStatus).sort(), cloudStatusKeys);
        const key = cloud === "AWS" ? "aws" : cloud === "Azure" ? "azure" : "gcp";
        assert.deepEqual(outs[key], args[key]);

        assert.equal(h.control.connections().length, 1, "exactly one connection on the server");
        assert.equal(h.count("POST", "collection"), 1, "exactly one POST");
        const readyAtMs = h.control.connection(id)!.readyAtMs!;
        const lateBy = returnedAt - readyAtMs;
        assert.ok(lateBy >= 0, `create returned ${-lateBy} ms before the connection was READY`);
        // Create returned on the first READY answer: at most one read started once the connection was READY.
        const readsAfterReady = h.requests({ method: "GET", route: "item" }).filter((r) => Date.parse(r.at) >= readyAtMs);
        assert.ok(readsAfterReady.length <= 1, `${readsAfterReady.length} reads after READY (lateBy ${lateBy} ms)`);
        const gets = h.count("GET", "item");
        assert.ok(gets >= 2 && gets <= PROVISIONING_MS / 50 + 3, `${gets} GETs for a ${PROVISIONING_MS} ms provision`);
        // Progress lines name the connection, the phase and the deadline.
        const info = h.lines.filter((l) => l.level === "info").map((l) => l.line);
        assert.ok(info.some((l) => l.includes(id) && l.includes("PROVISIONING") && l.includes("2h (default)")), info.join("\n"));
        assert.ok(info.some((l) => l.includes(id) && l.includes("READY")), info.join("\n"));
      });
    });
  }

  test("timeouts and adoptExisting are kept in the outputs, so read can hand them back", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ timeouts: { create: "10m", delete: "5m" }, adoptExisting: false });
      const { id, outs } = await h.create(args);
      assert.deepEqual(outs.timeouts, { create: "10m", delete: "5m" });
      assert.equal(outs.adoptExisting, false);
      const read = await h.provider.read(id, Harness.state(outs));
      assert.deepEqual(read.props?.timeouts, { create: "10m", delete: "5m" });
      assert.deepEqual(read.inputs?.timeouts, { create: "10m", delete: "5m" });
      assert.equal(read.inputs?.adoptExisting, false);
    });
  });

  test("a connection without displayName is created unnamed and stays without drift", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs();
      delete args.displayName;
      const { id, outs, inputs } = await h.create(args);
      assert.equal(outs.displayName, undefined);
      assert.equal(h.control.connection(id)!.displayName, undefined);
      const read = await h.provider.read(id, Harness.state(outs));
      const diff = await h.provider.diff(id, Harness.state(read.props!), inputs);
      assert.equal(diff.changes, false);
    });
  });
});

describe("update", () => {
  test("only timeouts/adoptExisting changed: diff says so (no replacement); the update sends nothing and records them", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ timeouts: { create: "30m" } });
      const { id, outs } = await h.create(args);
      const news = await h.check({ ...args, timeouts: { create: "1h", delete: "10m" }, adoptExisting: true });
      const diff = await h.provider.diff(id, Harness.state(outs), news);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);

      h.control.clearRequests();
      const { outs: updated } = await h.provider.update(id, Harness.state(outs), news);
      assert.equal(h.control.requests().length, 0, "no request at all (no PATCH, no GET)");
      const after = await h.provider.diff(id, Harness.state(updated!), news);
      assert.equal(after.changes, false, "recorded: the next preview shows nothing");
      assert.deepEqual(updated?.timeouts, { create: "1h", delete: "10m" });
      assert.equal(updated?.adoptExisting, true);
      assert.equal(updated?.phase, "READY");
      assert.equal(updated?.displayName, args.displayName);
      assert.equal(updated?.resourceName, outs.resourceName);
      assert.equal("__provider" in (updated ?? {}), false);
    });
  });

  test("a new displayName: changes without replacement, one PATCH, outputs from the answer", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "before" });
      const { id, outs } = await h.create(args);
      const news = await h.check({ ...args, displayName: "after" });
      const diff = await h.provider.diff(id, Harness.state(outs), news);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
      h.control.clearRequests();
      const { outs: updated } = await h.provider.update(id, Harness.state(outs), news);
      assert.equal(h.count("PATCH", "item"), 1);
      assert.equal(h.control.requests().length, 1, "only the PATCH");
      assert.equal(h.control.connection(id)!.displayName, "after");
      assert.equal(updated?.displayName, "after");
      assert.equal(updated?.phase, "READY");
    });
  });

  test("a new endpoint replaces the connection; a new attachment for the same endpoint deletes first", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs();
      const { id, outs } = await h.create(args);
      const newEndpoint = await h.provider.diff(id, Harness.state(outs), await h.check(awsArgs({ displayName: args.displayName })));
      assert.equal(newEndpoint.changes, true);
      assert.deepEqual(newEndpoint.replaces, ["aws"]);
      assert.equal(newEndpoint.deleteBeforeReplace, false, "a different endpoint can coexist with the old connection");
      const newAttachment = await h.provider.diff(id, Harness.state(outs), await h.check({ ...args, privateLinkAttachment: { id: "platt-other" } }));
      assert.deepEqual(newAttachment.replaces, ["privateLinkAttachment"]);
      assert.equal(newAttachment.deleteBeforeReplace, true, "the same endpoint cannot be attached twice");
    });
  });
});

describe("delete", () => {
  testInGoneModes("waits until the API says it is gone", async (gone) => {
    await withHarness({ ...gone, timing: { provisioningMs: 50, deprovisioningMs: 400 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      const started = Date.now();
      await h.provider.delete(id, Harness.state(outs));
      const took = Date.now() - started;
      assert.equal(h.control.connection(id), undefined, "the emulator says it is gone when delete returns");
      assert.ok(took >= 350, `delete returned after ${took} ms, before the 400 ms deprovisioning ended`);
      assert.equal(h.count("DELETE", "item"), 1);
      const reads = h.requests({ method: "GET", route: "item" });
      assert.ok(reads.length >= 2, "polled while DEPROVISIONING");
      assert.equal(reads.at(-1)!.status, goneStatus(gone), "the last read saw it gone");
      assert.ok(h.lines.some((l) => l.line.includes(id) && l.line.includes("DEPROVISIONING")), "progress line while deprovisioning");
    });
  });

  testInGoneModes("DELETE of a connection already gone is success", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.deleteConnection(id);
      h.control.clearRequests();
      await h.provider.delete(id, Harness.state(outs));
      const confirmed = gone.goneAs403 ? ["GET 200"] : []; // the 403 checked against the attachment's list
      assert.deepEqual(h.control.requests().map((r) => `${r.method} ${r.status}`), [`DELETE ${goneStatus(gone)}`, ...confirmed]);
    });
  });

  testInGoneModes("timeouts.delete passed while DEPROVISIONING: a clear error naming the timeout, exactly at the deadline", async (gone) => {
    // The provider's clock steps with its own sleeps: giving up late (or early) shows as an exact difference.
    const clock = new SteppingClock();
    await withHarness({ ...gone, timing: { provisioningMs: 50, deprovisioningMs: 60_000 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs({ timeouts: { delete: "10m" } }));
      h.control.clearRequests();
      const [started, slept] = [clock.now(), clock.sleeps.length];
      const error = await thrown(() => h.provider.delete(id, Harness.state(outs)));
      assert.equal(clock.now() - started, 600_000, "gave up when timeouts.delete = 10m had passed on the provider's clock, not before or after");
      assert.equal(h.count("GET", "item"), clock.sleeps.length - slept, "one read after each sleep, none once the deadline had passed");
      assert.match(error.message, new RegExp(`^delete private link attachment connection: ${id} still exists \\(DEPROVISIONING\\) 10m00s after its deletion was accepted: timeouts\\.delete = 10m passed`));
      assert.equal(h.control.connection(id)?.phase, "DEPROVISIONING");
    }, { clock, pollPolicy: DEFAULT_POLL_POLICY });
  });

  testInGoneModes("the id may carry its environment (env-…/plattc-…) when state has none", async (gone) => {
    await withHarness({ ...gone }, async (h) => {
      const { id } = await h.create(awsArgs());
      const read = await h.provider.read(`${ENV}/${id}`, {});
      assert.equal(read.id, id);
      assert.equal(read.props?.phase, "READY");
      await h.provider.delete(`${ENV}/${id}`, {});
      assert.equal(h.control.connection(id), undefined);
    });
  });
});

describe("409: the endpoint is already connected", () => {
  test("without adoptExisting: an error naming the existing connection and adoptExisting; nothing created", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "first" });
      const { id: existing } = await h.create(args);
      h.control.clearRequests();
      const error = await thrown(() => h.create({ ...args, displayName: "second" }));
      assert.ok(error.message.includes(existing), error.message);
      assert.match(error.message, /adoptExisting/);
      assert.match(error.message, /HTTP 409/);
      const requestId = h.requests({ method: "POST" })[0]!.requestId;
      assert.ok(error.message.includes(requestId), `request id ${requestId} in ${error.message}`);
      assert.equal(error.id, undefined, "no init error: nothing of ours exists");
      assert.equal(h.control.connections().length, 1);
      assert.equal(h.control.connection(existing)!.displayName, "first");
    });
  });

  test("with adoptExisting: adopts the same id and renames it to the program's displayName", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "made-elsewhere" });
      const { id: existing } = await h.create(args);
      h.control.clearRequests();
      const { id, outs } = await h.create({ ...args, displayName: "from-program", adoptExisting: true });
      assert.equal(id, existing);
      assert.equal(outs.displayName, "from-program");
      assert.equal(outs.phase, "READY");
      assert.equal(outs.adoptExisting, true);
      assert.equal(h.control.connections().length, 1);
      assert.equal(h.control.connection(existing)!.displayName, "from-program");
      assert.equal(h.count("POST", "collection"), 0, "found by listing the attachment's connections: no POST");
      assert.equal(h.count("PATCH", "item"), 1);
      assert.ok(h.lines.some((l) => l.line.includes(`${existing}: adopting`)), "says it adopts");
    });
  });

  test("with adoptExisting, a connection the list did not show yet (made meanwhile): the POST's 409 adopts it", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "made-meanwhile" });
      const { id: existing } = await h.create(args);
      h.control.clearRequests();
      const empty = { api_version: "networking/v1", kind: "PrivateLinkAttachmentConnectionList", metadata: { total_size: 0 }, data: [] };
      h.control.injectFault({ method: "GET", path: CONNECTIONS, count: 1, status: 200, body: empty });
      const { id } = await h.create({ ...args, adoptExisting: true });
      assert.equal(id, existing);
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), [409]);
      assert.equal(h.control.connections().length, 1);
    });
  });

  test("with adoptExisting and the same name: adopted without a PATCH", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "same" });
      const { id: existing } = await h.create(args);
      h.control.clearRequests();
      const { id } = await h.create({ ...args, adoptExisting: true });
      assert.equal(id, existing);
      assert.equal(h.count("PATCH", "item"), 0);
    });
  });

  for (const adoptExisting of [false, true]) {
    testInGoneModes(`the existing connection is being deleted (adoptExisting ${adoptExisting}): waits until it is gone, then creates a new one`, async (gone) => {
      await withHarness({ ...gone, timing: { provisioningMs: 100, deprovisioningMs: 400 } }, async (h) => {
        const args = awsArgs();
        const { id: old } = await h.create(args);
        h.control.deleteConnection(old, { graceful: true });
        h.control.clearRequests();
        const { id, outs } = await h.create({ ...args, adoptExisting });
        assert.notEqual(id, old, "never adopts a connection on its way out");
        assert.equal(outs.phase, "READY");
        assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), [409, 202]);
        assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
        assert.ok(h.lines.some((l) => l.line.includes(`is still attached by ${old}, which is being deleted`)));
      });
    });
  }

  test("adoptExisting never adopts a connection of another attachment (409 is per attachment)", async () => {
    await withHarness({}, async (h) => {
      h.control.addAttachment({ id: "platt-second", environmentId: ENV, cloud: "AWS", region: "us-east-1" });
      const args = awsArgs();
      const { id: first } = await h.create(args);
      const { id: second } = await h.create({ ...args, privateLinkAttachment: { id: "platt-second" }, adoptExisting: true });
      assert.notEqual(first, second);
      assert.equal(h.control.connection(second)!.privateLinkAttachmentId, "platt-second");
      assert.equal(h.control.connection(first)!.privateLinkAttachmentId, AWS_ATTACHMENT);
    });
  });
});

describe("READY detection with the default poll policy", () => {
  test("a 2 s provision (measurement, no timing assertion)", async () => {
    await withHarness({ timing: { provisioningMs: 2000, deprovisioningMs: 100 } }, async (h) => {
      const lines: string[] = [];
      const provider = new PrivateLinkAttachmentConnectionProvider({ log: (_level, line) => lines.push(line) });
      await provider.configure(configRequest({
        "confluentcloud:cloudApiKey": h.emulator.credentials.apiKey,
        "confluentcloud:cloudApiSecret": h.emulator.credentials.apiSecret,
        "confluentcloud:endpoint": h.emulator.url,
      }));
      const inputs = await h.check(awsArgs());
      const { id } = await provider.create(inputs);
      const returnedAt = Date.now();
      const readyAtMs = h.control.connection(id)!.readyAtMs!;
      const gets = h.control.requests().filter((r) => r.method === "GET" && r.route === `${CONNECTIONS}/{id}`).length;
      const delay = returnedAt - readyAtMs;
      console.log(`# default poll policy, 2 s provision: READY noticed ${delay} ms after readyAt, ${gets} GETs`);
      assert.ok(delay >= 0, "create never returns before READY");
      assert.equal(h.control.connections().length, 1);
      assert.ok(inputs.__provider === PROVIDER_MARKER);
    });
  });
});
