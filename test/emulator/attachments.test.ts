// The private link attachments API: create, the lifecycle on the clock, validation, PATCH, DELETE with and
// without connections, gone attachments, EXPIRED, and connections refused on an attachment that takes none.
// Every answer of a strict emulator is checked against the spec by the Caller.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EmulatorOptions } from "../../emulator";
import type { Caller, Reply } from "../support/http";
import { assertMatchesSchema } from "../support/openapi";
import { AWS_ATTACHMENT, awsBody, CONNECTIONS, ENV, gcpBody, ManualClock, vpce, withEmulator } from "../support/emulator";
import { ATTACHMENTS, attachmentBody, attachmentUrl, createAttachment, phaseOf, REGION, type Cloud } from "./attachments-support";

const pointers = (reply: Reply) => reply.body.errors.map((e: { source?: { pointer?: string; parameter?: string } }) => e.source?.pointer ?? e.source?.parameter);

/** A connection body for an endpoint of the attachment's cloud. */
function connectionBody(cloud: Cloud, attachment: string) {
  const n = Math.floor(Math.random() * 1e9);
  const endpoint: Record<Cloud, Record<string, string>> = {
    AWS: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpce() },
    AZURE: {
      kind: "AzurePrivateLinkAttachmentConnection",
      private_endpoint_resource_id: `/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-${n}`,
    },
    GCP: { kind: "GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: String(1_000_000_000 + n) },
  };
  return { spec: { cloud: endpoint[cloud], environment: { id: ENV }, private_link_attachment: { id: attachment } } };
}

async function connect(api: Caller, cloud: Cloud, attachment: string): Promise<string> {
  const reply = await api.call(CONNECTIONS, { method: "POST", body: connectionBody(cloud, attachment) });
  assert.equal(reply.status, 202, reply.text);
  return reply.body.id;
}

const TIMING = { provisioningMs: 5000, deprovisioningMs: 2000, expiryMs: 3_600_000 };

describe("create and the lifecycle", () => {
  const service: Record<Cloud, (cloud: any) => void> = {
    AWS: (c) => {
      assert.equal(c.kind, "AwsPrivateLinkAttachmentStatus");
      assert.match(c.vpc_endpoint_service.vpc_endpoint_service_name, /^com\.amazonaws\.vpce\.us-west-2\.vpce-svc-[0-9a-f]{17}$/);
    },
    AZURE: (c) => {
      assert.equal(c.kind, "AzurePrivateLinkAttachmentStatus");
      assert.match(c.private_link_service.private_link_service_alias, /\.westeurope\.azure\.privatelinkservice$/);
      assert.match(c.private_link_service.private_link_service_resource_id, /\/providers\/Microsoft\.Network\/privateLinkServices\//);
    },
    GCP: (c) => {
      assert.equal(c.kind, "GcpPrivateLinkAttachmentStatus");
      assert.match(c.service_attachment.private_service_connect_service_attachment, /^projects\/.*\/regions\/europe-west3\/serviceAttachments\//);
    },
  };

  for (const cloud of ["AWS", "AZURE", "GCP"] as const) {
    test(`${cloud}: 202 + Location in PROVISIONING, WAITING_FOR_CONNECTIONS after provisioningMs with dns_domain and status.cloud, READY while a connection is READY`, async () => {
      const clock = new ManualClock();
      await withEmulator({ clock, timing: { provisioningMs: 1000 }, attachmentTiming: TIMING }, async ({ api, emulator }) => {
        const reply = await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody(cloud, { displayName: `prod-${cloud}` }) });
        assert.equal(reply.status, 202, reply.text);
        const created = reply.body;
        assert.match(created.id, /^platt-[0-9a-f]{6}$/);
        assert.equal(reply.headers.get("location"), `${emulator.url}${ATTACHMENTS}/${created.id}`);
        assert.equal(created.metadata.self, `${emulator.url}${ATTACHMENTS}/${created.id}`);
        assert.match(created.metadata.resource_name, new RegExp(`/environment=${ENV}/private-link-attachment=${created.id}$`));
        assert.deepEqual([created.spec.display_name, created.spec.cloud, created.spec.region, created.spec.environment.id], [`prod-${cloud}`, cloud, REGION[cloud], ENV]);
        assert.deepEqual(created.status, { phase: "PROVISIONING" }, "nothing of Confluent's side yet");

        clock.advance(4999);
        assert.equal(await phaseOf(api, created.id), "PROVISIONING");
        clock.advance(1);
        const waiting = (await api.call(attachmentUrl(created.id))).body;
        assert.equal(waiting.status.phase, "WAITING_FOR_CONNECTIONS");
        assert.match(waiting.status.dns_domain, new RegExp(`\\.${REGION[cloud]}\\.${cloud.toLowerCase()}\\.private\\.confluent\\.cloud$`));
        service[cloud](waiting.status.cloud);

        const connection = await connect(api, cloud, created.id);
        assert.equal(await phaseOf(api, created.id), "WAITING_FOR_CONNECTIONS", "its connection is PROVISIONING");
        clock.advance(1000);
        const ready = (await api.call(attachmentUrl(created.id))).body;
        assert.equal(ready.status.phase, "READY");
        // the connection shows the attachment's own service
        const c = (await api.call(`${CONNECTIONS}/${connection}?environment=${ENV}`)).body.status.cloud;
        const offered = Object.values(ready.status.cloud).find((v) => typeof v === "object") as Record<string, string>;
        for (const [k, v] of Object.entries(offered)) assert.equal(c[k], v, k);

        // a connection that is no longer READY leaves the attachment waiting again
        assert.equal((await api.call(`${CONNECTIONS}/${connection}?environment=${ENV}`, { method: "DELETE" })).status, 204);
        assert.equal(await phaseOf(api, created.id), "WAITING_FOR_CONNECTIONS");
        assert.ok(api.checked.includes(`POST ${ATTACHMENTS} 202`) && api.checked.includes(`GET ${ATTACHMENTS}/{id} 200`));
      });
    });
  }

  test("quirks mode: 202, production's kinds, empty error fields and a zero deleted_at, links naming api.confluent.cloud", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, quirks: true, attachmentTiming: TIMING }, async ({ api }) => {
      const reply = await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody("GCP") });
      assert.equal(reply.status, 202);
      assert.deepEqual(reply.body.status, { phase: "PROVISIONING", error_code: "", error_message: "" });
      assert.equal(reply.body.metadata.deleted_at, "0001-01-01T00:00:00Z");
      assert.equal(reply.headers.get("location"), `https://api.confluent.cloud${ATTACHMENTS}/${reply.body.id}?environment=${ENV}`);
      clock.advance(TIMING.provisioningMs);
      const read = (await api.call(attachmentUrl(reply.body.id))).body;
      assert.equal(read.status.cloud.kind, "networking.v1.GcpPrivateLinkAttachmentStatus");
      assert.equal(read.spec.environment.kind, "Environment");
    });
  });

  test("seeded attachments are provisioned from the start: WAITING_FOR_CONNECTIONS, READY while a connection is READY, and never EXPIRED by the clock", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 10 }, attachmentTiming: { expiryMs: 1000 } }, async ({ api }) => {
      assert.equal(await phaseOf(api, AWS_ATTACHMENT), "WAITING_FOR_CONNECTIONS");
      clock.advance(30 * 24 * 3_600_000);
      assert.equal(await phaseOf(api, AWS_ATTACHMENT), "WAITING_FOR_CONNECTIONS");
      await connect(api, "AWS", AWS_ATTACHMENT);
      clock.advance(10);
      assert.equal(await phaseOf(api, AWS_ATTACHMENT), "READY");
    });
  });
});

describe("create: validation", () => {
  test("missing or ill-typed fields are one 422 with an error per field; a cloud or region the API does not know is 422 at it", async () => {
    await withEmulator({}, async ({ api }) => {
      const none = await api.call(ATTACHMENTS, { method: "POST", body: { spec: {} } });
      assert.equal(none.status, 422);
      assert.deepEqual(pointers(none).sort(), ["/spec/cloud", "/spec/environment", "/spec/region"]);
      const typed = await api.call(ATTACHMENTS, { method: "POST", body: { spec: { display_name: 7, cloud: "AWS", region: 1, environment: { id: "" } } } });
      assert.deepEqual(pointers(typed).sort(), ["/spec/display_name", "/spec/environment/id", "/spec/region"]);
      assert.deepEqual(pointers(await api.call(ATTACHMENTS, { method: "POST", body: { ...attachmentBody(), spec: { ...attachmentBody().spec, cloud: "IBM" } } })), ["/spec/cloud"]);
      assert.deepEqual(pointers(await api.call(ATTACHMENTS, { method: "POST", body: { spec: { ...attachmentBody().spec, cloud: "aws" } } })), ["/spec/cloud"], "exact spelling");
      for (const [cloud, region] of [["AWS", "us-central1"], ["GCP", "us-east-1"], ["AZURE", "us-east-1"], ["AWS", ""]] as const) {
        const reply = await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody(cloud, { region }) });
        assert.equal(reply.status, 422, `${cloud} ${region}`);
        assert.deepEqual(pointers(reply), ["/spec/region"]);
        assert.match(reply.body.errors[0].detail, new RegExp(`${cloud} region`));
      }
      assert.deepEqual(pointers(await api.call(ATTACHMENTS, { method: "POST", body: { nospec: true } })), ["/spec"]);
      assert.equal((await api.call(ATTACHMENTS, { method: "POST", body: "{not json" })).status, 400);
      const unknownEnv = await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody("AWS", { env: "env-nowhere" }) });
      assert.equal(unknownEnv.status, 403);
      assert.deepEqual(pointers(unknownEnv), ["/spec/environment/id"]);
      assert.equal((await api.call(`${ATTACHMENTS}?environment=${ENV}`)).body.data.length, 3, "nothing was created");
      const bare = await api.call(ATTACHMENTS, { method: "POST", body: { spec: { cloud: "AZURE", region: "eastus2", environment: { id: ENV } } } });
      assert.equal(bare.status, 202, "display_name is optional");
      assert.equal("display_name" in bare.body.spec, false);
    });
  });

  test("methods a path does not serve are 405 with Allow", async () => {
    await withEmulator({}, async ({ api }) => {
      const collection = await api.call(`${ATTACHMENTS}?environment=${ENV}`, { method: "DELETE", unchecked: true });
      assert.deepEqual([collection.status, collection.headers.get("allow")], [405, "GET, POST"]);
      const one = await api.call(attachmentUrl(AWS_ATTACHMENT), { method: "PUT", unchecked: true });
      assert.deepEqual([one.status, one.headers.get("allow")], [405, "GET, PATCH, DELETE"]);
    });
  });
});

describe("PATCH", () => {
  test("renames (display_name only) and bumps updated_at; the same cloud and region are accepted, others are 422 at them; environment is required", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock }, async ({ api }) => {
      const created = await createAttachment(api, attachmentBody("AWS", { displayName: "old" }));
      clock.advance(1000);
      const url = `${ATTACHMENTS}/${created.id}`;
      const renamed = await api.call(url, { method: "PATCH", body: { spec: { display_name: "new", cloud: "AWS", region: "us-west-2", environment: { id: ENV } } } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.spec.display_name, "new");
      assert.equal(renamed.body.metadata.created_at, created.metadata.created_at);
      assert.notEqual(renamed.body.metadata.updated_at, created.metadata.updated_at);
      assert.equal((await api.call(attachmentUrl(created.id))).body.spec.display_name, "new");

      for (const [field, value] of [["cloud", "GCP"], ["region", "us-east-1"]] as const) {
        const refused = await api.call(url, { method: "PATCH", body: { spec: { display_name: "other", [field]: value, environment: { id: ENV } } } });
        assert.equal(refused.status, 422, field);
        assert.deepEqual(pointers(refused), [`/spec/${field}`]);
        assert.equal(refused.body.errors[0].code, "immutable_field");
      }
      assert.equal((await api.call(attachmentUrl(created.id))).body.spec.display_name, "new", "a refused PATCH changes nothing");
      assert.deepEqual(pointers(await api.call(url, { method: "PATCH", body: { spec: { display_name: "x" } } })), ["/spec/environment"]);
      assert.deepEqual(pointers(await api.call(url, { method: "PATCH", body: { spec: { display_name: 3, environment: { id: ENV } } } })), ["/spec/display_name"]);
      assert.equal((await api.call(url, { method: "PATCH", body: { spec: { display_name: "x", environment: { id: "env-nowhere" } } } })).status, 403);
    });
  });

  test("PATCH on a DEPROVISIONING or EXPIRED attachment is 409 with Location", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentTiming: { provisioningMs: 0, deprovisioningMs: 60_000, expiryMs: 1000 } }, async ({ api, emulator }) => {
      const deleting = await createAttachment(api);
      const expiring = await createAttachment(api);
      assert.equal((await api.call(attachmentUrl(deleting.id), { method: "DELETE" })).status, 204);
      clock.advance(1000);
      for (const [a, code] of [[deleting, "resource_being_deleted"], [expiring, "resource_expired"]] as const) {
        const reply = await api.call(`${ATTACHMENTS}/${a.id}`, { method: "PATCH", body: { spec: { display_name: "x", environment: { id: ENV } } } });
        assert.equal(reply.status, 409);
        assert.equal(reply.body.errors[0].code, code);
        assert.equal(reply.headers.get("location"), `${emulator.url}${ATTACHMENTS}/${a.id}`);
      }
    });
  });
});

describe("DELETE", () => {
  test("without connections: 204, DEPROVISIONING for deprovisioningMs (again 204), then 404 and out of the list", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentTiming: { ...TIMING, deprovisioningMs: 3000 } }, async ({ api }) => {
      const { id } = await createAttachment(api);
      const deleted = await api.call(attachmentUrl(id), { method: "DELETE" });
      assert.deepEqual([deleted.status, deleted.text], [204, ""]);
      const during = (await api.call(attachmentUrl(id))).body;
      assert.equal(during.status.phase, "DEPROVISIONING");
      assert.ok(during.metadata.deleted_at);
      assert.equal((await api.call(attachmentUrl(id), { method: "DELETE" })).status, 204, "deletion already under way");
      clock.advance(2999);
      assert.equal(await phaseOf(api, id), "DEPROVISIONING");
      clock.advance(1);
      assert.equal((await api.call(attachmentUrl(id))).status, 404);
      assert.equal((await api.call(attachmentUrl(id), { method: "DELETE" })).status, 404);
      assert.ok(!(await api.call(`${ATTACHMENTS}?environment=${ENV}`)).body.data.some((a: { id: string }) => a.id === id));
    });
  });

  test("with connections (default): 409 naming each with its phase, until every one is gone; nothing changes meanwhile", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 100, deprovisioningMs: 5000 } }, async ({ api, emulator }) => {
      assert.equal(emulator.attachmentDeletion, "conflict");
      const one = await connect(api, "AWS", AWS_ATTACHMENT);
      clock.advance(100);
      const two = await connect(api, "AWS", AWS_ATTACHMENT);
      const refuse = async (named: string[]) => {
        // The spec declares no 409 for this DELETE: the body is checked against the Failure schema instead.
        const reply = await api.call(attachmentUrl(AWS_ATTACHMENT), { method: "DELETE", unchecked: true });
        assert.equal(reply.status, 409, reply.text);
        assertMatchesSchema("Failure", reply.body);
        assert.equal(reply.body.errors[0].code, "resource_has_dependents");
        for (const text of named) assert.ok(reply.body.errors[0].detail.includes(text), `${reply.body.errors[0].detail} names ${text}`);
      };
      await refuse([`${one} (READY)`, `${two} (PROVISIONING)`]);
      assert.equal(await phaseOf(api, AWS_ATTACHMENT), "READY", "a refused DELETE changes nothing");

      for (const id of [one, two]) assert.equal((await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`, { method: "DELETE" })).status, 204);
      await refuse([`${one} (DEPROVISIONING)`, `${two} (DEPROVISIONING)`]);
      clock.advance(5000);
      assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT), { method: "DELETE" })).status, 204);
      assert.equal(await phaseOf(api, AWS_ATTACHMENT), "DEPROVISIONING");
    });
  });

  test('with connections, attachmentDeletion "cascade": 204, its connections deprovision with it, and it is gone once they are and its own time has passed', async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentDeletion: "cascade", timing: { provisioningMs: 0, deprovisioningMs: 5000 }, attachmentTiming: { deprovisioningMs: 1000 } }, async ({ api, emulator }) => {
      assert.equal(emulator.attachmentDeletion, "cascade");
      const connection = await connect(api, "AWS", AWS_ATTACHMENT);
      assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT), { method: "DELETE" })).status, 204);
      assert.equal((await api.call(`${CONNECTIONS}/${connection}?environment=${ENV}`)).body.status.phase, "DEPROVISIONING");
      clock.advance(1000);
      assert.equal(await phaseOf(api, AWS_ATTACHMENT), "DEPROVISIONING", "its connection is not gone yet");
      clock.advance(4000);
      assert.equal((await api.call(`${CONNECTIONS}/${connection}?environment=${ENV}`)).status, 404);
      assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT))).status, 404);
    });
  });

  test("attachmentDeletion is changed at run time by POST /_emulator/config and restored by reset", async () => {
    await withEmulator({ timing: { provisioningMs: 0 } }, async ({ api, emulator }) => {
      await connect(api, "GCP", "platt-emugcp");
      assert.equal((await api.call(attachmentUrl("platt-emugcp"), { method: "DELETE", unchecked: true })).status, 409);
      const changed = await fetch(`${emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ attachmentDeletion: "cascade" }) });
      assert.equal(((await changed.json()) as { attachmentDeletion: string }).attachmentDeletion, "cascade");
      assert.equal((await api.call(attachmentUrl("platt-emugcp"), { method: "DELETE" })).status, 204);
      emulator.control.reset();
      assert.equal(emulator.attachmentDeletion, "conflict");
      const refused = await fetch(`${emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ attachmentDeletion: "force" }) });
      assert.equal(refused.status, 400);
    });
  });
});

describe("an attachment that is gone", () => {
  const OTHER_ENV = "env-other";
  const modes: [string, EmulatorOptions, 403 | 404][] = [
    ["strict, default", {}, 404],
    ["strict, goneAs403", { goneAs403: true }, 403],
    ["quirks, default", { quirks: true }, 403],
    ["quirks, goneAs403 false", { quirks: true, goneAs403: false }, 404],
  ];
  for (const [mode, options, status] of modes) {
    test(`${mode}: GET, PATCH and DELETE answer ${status} (deleted through the API or out of band, never existed, of another environment); the list answers without it`, async () => {
      const clock = new ManualClock();
      await withEmulator({ ...options, clock, attachmentTiming: { provisioningMs: 0, deprovisioningMs: 1000 } }, async ({ api, emulator }) => {
        emulator.control.addEnvironment(OTHER_ENV);
        const viaApi = (await createAttachment(api)).id;
        assert.equal((await api.call(attachmentUrl(viaApi), { method: "DELETE" })).status, 204);
        clock.advance(1000);
        const outOfBand = (await createAttachment(api)).id;
        emulator.control.deleteAttachment(outOfBand);
        const gone: [string, string, string][] = [
          ["deleted through the API", viaApi, ENV], ["deleted out of band", outOfBand, ENV], ["never existed", "platt-nosuch", ENV],
          ["of another environment", AWS_ATTACHMENT, OTHER_ENV],
        ];
        for (const [what, id, env] of gone) {
          for (const [method, body] of [["GET", undefined], ["PATCH", { spec: { display_name: "x", environment: { id: env } } }], ["DELETE", undefined]] as const) {
            const reply = await api.call(method === "PATCH" ? `${ATTACHMENTS}/${id}` : attachmentUrl(id, env), { method, body });
            assert.equal(reply.status, status, `${what}: ${method}: ${reply.text}`);
            if (status === 403) assert.deepEqual([reply.body.errors.length, reply.body.errors[0].detail], [1, "Forbidden Access"]);
          }
          const listed = (await api.call(`${ATTACHMENTS}?environment=${env}`)).body.data.map((a: { id: string }) => a.id);
          assert.ok(!listed.includes(id), `${what}: not listed in ${env}`);
        }
        assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT, "env-nowhere"))).status, 403, "an unknown environment keeps its own 403");
      });
    });
  }
});

describe("connections only on an attachment that takes them", () => {
  test("creating a connection on a PROVISIONING, EXPIRED, FAILED, DEPROVISIONING or gone attachment is 422 at /spec/private_link_attachment/id naming why", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentTiming: { provisioningMs: 1000, deprovisioningMs: 60_000, expiryMs: 5000 } }, async ({ api, emulator }) => {
      const provisioning = (await createAttachment(api)).id;
      const refuse = async (id: string, why: RegExp) => {
        const reply = await api.call(CONNECTIONS, { method: "POST", body: awsBody(vpce(), { attachment: id }) });
        assert.equal(reply.status, 422, `${id}: ${reply.text}`);
        assert.deepEqual(pointers(reply), ["/spec/private_link_attachment/id"]);
        assert.match(reply.body.errors[0].detail, why);
      };
      await refuse(provisioning, /PROVISIONING/);
      clock.advance(1000);
      const deprovisioning = (await createAttachment(api)).id;
      const gone = (await createAttachment(api)).id;
      clock.advance(1000);
      assert.equal(await phaseOf(api, provisioning), "WAITING_FOR_CONNECTIONS");
      assert.equal((await api.call(attachmentUrl(deprovisioning), { method: "DELETE" })).status, 204);
      await refuse(deprovisioning, /DEPROVISIONING/);
      emulator.control.setAttachmentPhase(AWS_ATTACHMENT, "FAILED");
      await refuse(AWS_ATTACHMENT, /FAILED/);
      emulator.control.deleteAttachment(gone);
      await refuse(gone, /not found/);
      clock.advance(4000);
      assert.equal(await phaseOf(api, provisioning), "EXPIRED");
      await refuse(provisioning, /EXPIRED/);
      assert.deepEqual(emulator.control.connections(), [], "none was made");
    });
  });
});

describe("EXPIRED", () => {
  test("an attachment made through the API expires expiryMs after it turned WAITING_FOR_CONNECTIONS without a connection; it can only be deleted", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentTiming: { provisioningMs: 1000, deprovisioningMs: 0, expiryMs: 10_000 } }, async ({ api, emulator }) => {
      const { id } = await createAttachment(api);
      assert.equal(emulator.control.attachment(id)!.expiresAt, new Date(clock.ms + 11_000).toISOString());
      clock.advance(10_999);
      assert.equal(await phaseOf(api, id), "WAITING_FOR_CONNECTIONS");
      clock.advance(1);
      const expired = (await api.call(attachmentUrl(id))).body;
      assert.equal(expired.status.phase, "EXPIRED");
      assert.ok(expired.status.cloud, "Confluent's side is still shown");
      const filtered = await api.call(`${ATTACHMENTS}?environment=${ENV}&status.phase=EXPIRED`);
      assert.deepEqual(filtered.body.data.map((a: { id: string }) => a.id), [id]);
      assert.equal((await api.call(attachmentUrl(id), { method: "DELETE" })).status, 204);
      assert.equal((await api.call(attachmentUrl(id))).status, 404);
    });
  });

  test("one that had a connection in time never expires, even once the connection is gone", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 0, deprovisioningMs: 0 }, attachmentTiming: { provisioningMs: 0, expiryMs: 10_000 } }, async ({ api, emulator }) => {
      const { id } = await createAttachment(api, attachmentBody("GCP"));
      clock.advance(9_999);
      const connection = (await api.call(CONNECTIONS, { method: "POST", body: { spec: { ...gcpBody().spec, private_link_attachment: { id } } } })).body.id;
      assert.equal(await phaseOf(api, id), "READY");
      assert.equal(emulator.control.attachment(id)!.expiresAt, null);
      assert.equal((await api.call(`${CONNECTIONS}/${connection}?environment=${ENV}`, { method: "DELETE" })).status, 204);
      clock.advance(365 * 24 * 3_600_000);
      assert.equal(await phaseOf(api, id), "WAITING_FOR_CONNECTIONS");
    });
  });

  test("the default expiry is long (7 days) and attachmentTiming shows in info, config and the handle", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentTiming: { provisioningMs: 0 } }, async ({ api, emulator }) => {
      assert.deepEqual(emulator.attachmentTiming, { provisioningMs: 0, deprovisioningMs: 1000, expiryMs: 7 * 24 * 3_600_000 });
      const { id } = await createAttachment(api);
      clock.advance(7 * 24 * 3_600_000 - 1);
      assert.equal(await phaseOf(api, id), "WAITING_FOR_CONNECTIONS");
      emulator.control.configure({ attachmentTiming: { expiryMs: 60_000 } });
      assert.equal(await phaseOf(api, id), "EXPIRED", "a new expiry applies to the attachments already waiting");
      assert.deepEqual(emulator.control.info().attachmentTiming, { provisioningMs: 0, deprovisioningMs: 1000, expiryMs: 60_000 });
      assert.throws(() => emulator.control.configure({ attachmentTiming: { expiryMs: -1 } }), /expiryMs/);
      assert.throws(() => emulator.control.configure({ attachmentTiming: { expiry: 5 } as never }), /unknown attachmentTiming field/);
    });
  });
});
