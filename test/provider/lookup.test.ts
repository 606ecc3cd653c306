// Lookups (lookup.ts) against the emulator: get by id, list across every page (also when the API's links name
// https://api.confluent.cloud), filter by attachment, find by display name.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import {
  findPrivateLinkAttachmentConnectionByDisplayName, getPrivateLinkAttachmentConnection, listPrivateLinkAttachmentConnections, type LookupOptions,
} from "../../provider/connection/lookup";
import { AWS_ATTACHMENT, CONNECTIONS, ENV, GCP_ATTACHMENT, thrown, vpce, withEnv } from "../support/provider";

async function withLookup<T>(options: EmulatorOptions, fn: (e: Emulator, opts: LookupOptions) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ timing: { provisioningMs: 0, deprovisioningMs: 0 }, ...options });
  try {
    const config = {
      "confluentcloud:cloudApiKey": emulator.credentials.apiKey,
      "confluentcloud:cloudApiSecret": emulator.credentials.apiSecret,
      "confluentcloud:endpoint": emulator.url,
    };
    return await fn(emulator, { config, timeoutMs: 20_000 });
  } finally {
    await emulator.close();
  }
}

let gcpCounter = 0;
function seed(e: Emulator, n: number, over: { attachment?: string; name?: (i: number) => string | undefined } = {}): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const gcp = over.attachment === GCP_ATTACHMENT;
    const name = over.name ? over.name(i) : `conn-${i}`;
    const view = e.control.seedConnection({
      spec: {
        ...(name !== undefined ? { display_name: name } : {}),
        cloud: gcp
          ? { kind: "GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: String(9_000_000_000 + ++gcpCounter) }
          : { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpce() },
        environment: { id: ENV },
        private_link_attachment: { id: over.attachment ?? AWS_ATTACHMENT },
      },
      status: { phase: "READY" },
    });
    ids.push(view.id);
  }
  return ids;
}

const listRequests = (e: Emulator) => e.control.requests().filter((r) => r.method === "GET" && r.path === CONNECTIONS);

describe("getPrivateLinkAttachmentConnection", () => {
  test("by id: a camelCase object with id, like the resource's outputs", async () => {
    await withLookup({}, async (e, opts) => {
      const [id] = seed(e, 1, { name: () => "looked-up" });
      const c = await getPrivateLinkAttachmentConnection({ id: id!, environmentId: ENV }, opts);
      const body = e.control.connection(id!)!.body as any;
      assert.equal(c.id, id);
      assert.equal(c.displayName, "looked-up");
      assert.equal(c.phase, "READY");
      assert.deepEqual(c.environment, { id: ENV });
      assert.deepEqual(c.privateLinkAttachment, { id: AWS_ATTACHMENT });
      assert.deepEqual(c.aws, { vpcEndpointId: body.spec.cloud.vpc_endpoint_id });
      assert.equal(c.resourceName, body.metadata.resource_name);
      assert.deepEqual(c.cloudStatus, { vpcEndpointId: body.status.cloud.vpc_endpoint_id, vpcEndpointServiceName: body.status.cloud.vpc_endpoint_service_name });
      for (const key of Object.keys(c)) assert.ok(!key.includes("_"), key);
    });
  });

  test("unknown id: the API's 404 with every detail (a lookup does not invent an empty answer)", async () => {
    await withLookup({}, async (e, opts) => {
      const error = await thrown(() => getPrivateLinkAttachmentConnection({ id: "plattc-nope", environmentId: ENV }, opts));
      assert.equal(error.status, 404);
      assert.match(error.message, /read private link attachment connection \(plattc-nope in env-emu000\): HTTP 404/);
      assert.match(error.message, /not found in environment 'env-emu000'/);
      assert.ok(error.message.includes(e.control.requests()[0]!.requestId));
    });
  });

  test("unknown id answered 403 (production): checked by listing, an error that says it does not exist", async () => {
    await withLookup({ goneAs403: true }, async (e, opts) => {
      seed(e, 2);
      const error = await thrown(() => getPrivateLinkAttachmentConnection({ id: "plattc-nope", environmentId: ENV }, opts));
      assert.equal(error.status, 403);
      assert.match(error.message, /read private link attachment connection \(plattc-nope in env-emu000\): HTTP 403 Forbidden: Forbidden Access/);
      assert.match(error.message, /plattc-nope is not among the connections of env-emu000: it does not exist/);
      assert.ok(error.message.includes(e.control.requests()[0]!.requestId));
      assert.deepEqual(listRequests(e).map((r) => r.query.environment), [ENV]);
    });
  });

  test("a 403 on an id the environment lists: an error saying the request was refused, not that it is missing", async () => {
    await withLookup({}, async (e, opts) => {
      const [id] = seed(e, 1);
      e.control.injectFault({ method: "GET", path: `${CONNECTIONS}/*`, status: 403 });
      const error = await thrown(() => getPrivateLinkAttachmentConnection({ id: id!, environmentId: ENV }, opts));
      assert.equal(error.status, 403);
      assert.match(error.message, new RegExp(`${id} is listed in ${ENV}, so it exists and this request was refused`));
      assert.doesNotMatch(error.message, /does not exist/);
    });
  });

  test("pulumi-confluentcloud's form, environment: { id }: the same answer", async () => {
    await withLookup({}, async (e, opts) => {
      const [id] = seed(e, 1, { name: () => "pcc-form" });
      const ours = await getPrivateLinkAttachmentConnection({ id: id!, environmentId: ENV }, opts);
      assert.deepEqual(await getPrivateLinkAttachmentConnection({ id: id!, environment: { id: ENV } }, opts), ours);
      assert.equal(ours.displayName, "pcc-form");
    });
  });

  test("no environment, or two that differ: an error naming the id, before any request", async () => {
    await withLookup({}, async (e, opts) => {
      const none = await thrown(() => getPrivateLinkAttachmentConnection({ id: "plattc-abc" } as never, opts));
      assert.match(none.message, /get private link attachment connection "plattc-abc": no environment was given; pass environment: \{ id: "env-…" \}/);
      const both = await thrown(() => getPrivateLinkAttachmentConnection({ id: "plattc-abc", environmentId: ENV, environment: { id: "env-other" } }, opts));
      assert.match(both.message, /environmentId "env-emu000" and environment.id "env-other" differ/);
      assert.equal(e.control.requests().length, 0);
    });
  });

  test("credentials from the environment by default; missing ones fail before any request", async () => {
    await withLookup({}, async (e) => {
      const [id] = seed(e, 1);
      await withEnv({
        CONFLUENT_CLOUD_API_KEY: e.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: e.credentials.apiSecret, CONFLUENT_CLOUD_ENDPOINT: e.url,
      }, async () => {
        assert.equal((await getPrivateLinkAttachmentConnection({ id: id!, environmentId: ENV })).id, id);
      });
      e.control.clearRequests();
      await withEnv({ CONFLUENT_CLOUD_ENDPOINT: e.url }, async () => {
        const error = await thrown(() => listPrivateLinkAttachmentConnections({ environmentId: ENV }));
        assert.match(error.message, /CONFLUENT_CLOUD_API_KEY/);
        assert.match(error.message, /confluentcloud:cloudApiKey/);
      });
      assert.equal(e.control.requests().length, 0);
    });
  });
});

describe("listPrivateLinkAttachmentConnections", () => {
  for (const quirks of [false, true]) {
    test(`follows every page (230 connections, pages of 100)${quirks ? " — links naming https://api.confluent.cloud, last next \"\"" : ""}`, async () => {
      await withLookup({ quirks }, async (e, opts) => {
        const ids = seed(e, 230);
        const all = await listPrivateLinkAttachmentConnections({ environmentId: ENV }, opts);
        assert.deepEqual(all.map((c) => c.id), ids, "every connection once, in creation order");
        assert.ok(all.every((c) => c.phase === "READY" && c.aws?.vpcEndpointId.startsWith("vpce-")));
        const lists = listRequests(e);
        assert.equal(lists.length, 3, "three pages");
        assert.deepEqual(lists.map((r) => r.status), [200, 200, 200]);
        assert.equal(lists[0]!.query.page_token, undefined);
        assert.ok(lists[1]!.query.page_token && lists[2]!.query.page_token);
        assert.notEqual(lists[1]!.query.page_token, lists[2]!.query.page_token);
        assert.ok(lists.every((r) => r.query.environment === ENV && r.query.page_size === "100"));
        if (quirks) assert.ok(all.every((c) => c.errorCode === undefined), '"" error codes are absent');
      });
    });
  }

  test("filtered by attachment", async () => {
    await withLookup({}, async (e, opts) => {
      const aws = seed(e, 3);
      const gcp = seed(e, 2, { attachment: GCP_ATTACHMENT });
      const onlyGcp = await listPrivateLinkAttachmentConnections({ environmentId: ENV, privateLinkAttachmentId: GCP_ATTACHMENT }, opts);
      assert.deepEqual(onlyGcp.map((c) => c.id), gcp);
      assert.ok(onlyGcp.every((c) => c.gcp && c.privateLinkAttachment.id === GCP_ATTACHMENT));
      assert.equal(listRequests(e).at(-1)!.query["spec.private_link_attachment"], GCP_ATTACHMENT);
      const everything = await listPrivateLinkAttachmentConnections({ environmentId: ENV }, opts);
      assert.deepEqual(everything.map((c) => c.id), [...aws, ...gcp]);
    });
  });

  test("an empty environment is an empty list", async () => {
    await withLookup({}, async (_e, opts) => {
      assert.deepEqual(await listPrivateLinkAttachmentConnections({ environmentId: ENV }, opts), []);
    });
  });
});

describe("findPrivateLinkAttachmentConnectionByDisplayName", () => {
  test("one match: that connection", async () => {
    await withLookup({}, async (e, opts) => {
      const ids = seed(e, 5);
      const c = await findPrivateLinkAttachmentConnectionByDisplayName({ environmentId: ENV, displayName: "conn-3" }, opts);
      assert.equal(c.id, ids[3]);
    });
  });

  test("no match: an error naming the name and the scope", async () => {
    await withLookup({}, async (e, opts) => {
      seed(e, 2);
      const error = await thrown(() => findPrivateLinkAttachmentConnectionByDisplayName({ environmentId: ENV, displayName: "absent", privateLinkAttachmentId: AWS_ATTACHMENT }, opts));
      assert.equal(error.message, `no private link attachment connection named "absent" in environment ${ENV}, attachment ${AWS_ATTACHMENT}`);
    });
  });

  test("several matches: an error listing their ids", async () => {
    await withLookup({}, async (e, opts) => {
      const twins = seed(e, 2, { name: () => "twin" });
      seed(e, 1, { name: () => "other" });
      const error = await thrown(() => findPrivateLinkAttachmentConnectionByDisplayName({ environmentId: ENV, displayName: "twin" }, opts));
      assert.match(error.message, /^2 private link attachment connections are named "twin"/);
      for (const id of twins) assert.ok(error.message.includes(id));
    });
  });

  test("matches across pages, and only in the given attachment", async () => {
    await withLookup({ quirks: true }, async (e, opts) => {
      seed(e, 150);
      const [gcpTarget] = seed(e, 1, { attachment: GCP_ATTACHMENT, name: () => "conn-140" });
      const aws = await findPrivateLinkAttachmentConnectionByDisplayName({ environmentId: ENV, displayName: "conn-140", privateLinkAttachmentId: AWS_ATTACHMENT }, opts);
      assert.equal(aws.privateLinkAttachment.id, AWS_ATTACHMENT);
      const gcp = await findPrivateLinkAttachmentConnectionByDisplayName({ environmentId: ENV, displayName: "conn-140", privateLinkAttachmentId: GCP_ATTACHMENT }, opts);
      assert.equal(gcp.id, gcpTarget);
      // Without the filter both match.
      await assert.rejects(findPrivateLinkAttachmentConnectionByDisplayName({ environmentId: ENV, displayName: "conn-140" }, opts), /^Error: 2 private link/);
    });
  });

  test("unnamed connections never match", async () => {
    await withLookup({}, async (e, opts) => {
      seed(e, 2, { name: () => undefined });
      await assert.rejects(findPrivateLinkAttachmentConnectionByDisplayName({ environmentId: ENV, displayName: "" }, opts), /no private link attachment connection named ""/);
    });
  });
});
