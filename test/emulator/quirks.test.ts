// Quirks mode (answers shaped like the recorded production bodies) against strict mode, and the recorded bodies
// themselves seeded through the control API's quirk-tolerant reader.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import type { Caller } from "../support/http";
import { AWS_ATTACHMENT, AZURE_ATTACHMENT, awsBody, azureBody, CONNECTIONS, ENV, GCP_ATTACHMENT, gcpBody, ManualClock, withEmulator } from "../support/emulator";
import { REPO_ROOT } from "../../scripts/repo-root";

const REPO = REPO_ROOT;

const ATTACHMENTS = "/networking/v1/private-link-attachments";
const PRODUCTION = "https://api.confluent.cloud";
const PREFIX = "networking.v1.";
const RECORDED_DIR = path.join(REPO, "spec/confluent-api/recorded");
const recorded = (suffix: string) => fs.readdirSync(RECORDED_DIR).filter((f) => f.endsWith(suffix)).sort();
const load = (name: string): any => JSON.parse(fs.readFileSync(path.join(RECORDED_DIR, name), "utf8"));
const connectionFiles = recorded("_plattc.json");
const attachmentFiles = recorded("_platt.json");

type Json = Record<string, any>;

/** Every key path of an object, e.g. `status.cloud.kind`. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [prefix + k, ...keyPaths(v, `${prefix}${k}.`)]);
}

function missingPaths(expected: unknown, actual: unknown): string[] {
  const have = new Set(keyPaths(actual));
  return keyPaths(expected).filter((p) => !have.has(p));
}

const bare = (kind: unknown) => (typeof kind === "string" && kind.startsWith(PREFIX) ? kind.slice(PREFIX.length) : kind);

/** What a client takes from a connection body, with the `kind` spelling normalised. */
function projection(body: Json): Json {
  const cloud: Json = body.spec?.cloud ?? {};
  const endpointField = Object.keys(cloud).find((k) => k !== "kind");
  return {
    id: body.id,
    api_version: body.api_version,
    kind: body.kind,
    display_name: body.spec?.display_name,
    cloud_kind: bare(cloud.kind),
    endpoint: endpointField === undefined ? undefined : { [endpointField]: cloud[endpointField] },
    environment: body.spec?.environment?.id,
    private_link_attachment: body.spec?.private_link_attachment?.id,
    phase: body.status?.phase,
  };
}

/** status.cloud fields with a value (kind normalised). */
function filledStatusCloud(body: Json): Json {
  const cloud: Json = body.status?.cloud ?? {};
  return Object.fromEntries(
    Object.entries(cloud).filter(([, v]) => v !== "" && v !== null && v !== undefined).map(([k, v]) => [k, k === "kind" ? bare(v) : v]),
  );
}

async function ctlSeed(emulator: Emulator, body: unknown): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${emulator.url}/_emulator/connections`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: text === "" ? undefined : JSON.parse(text) };
}

async function create(api: Caller, body: unknown, status: number): Promise<Json> {
  const reply = await api.call(CONNECTIONS, { method: "POST", body });
  assert.equal(reply.status, status, reply.text);
  return reply.body;
}

describe("quirks mode against strict mode", () => {
  test("create answers 201 in quirks mode and 202 in strict mode", async () => {
    await withEmulator({ quirks: true }, async ({ api }) => {
      const reply = await api.call(CONNECTIONS, { method: "POST", body: awsBody() });
      assert.equal(reply.status, 201);
      assert.ok(reply.headers.get("location")?.startsWith(`${PRODUCTION}${CONNECTIONS}/${reply.body.id}`));
    });
    await withEmulator({}, async ({ emulator, api }) => {
      const reply = await api.call(CONNECTIONS, { method: "POST", body: awsBody() });
      assert.equal(reply.status, 202);
      assert.equal(reply.headers.get("location"), `${emulator.url}${CONNECTIONS}/${reply.body.id}`);
    });
  });

  test("quirks: prefixed kinds, empty strings while PROVISIONING, Azure zone, deleted_at on a live object, production links", async () => {
    const clock = new ManualClock();
    await withEmulator({ quirks: true, clock, timing: { provisioningMs: 5000 } }, async ({ emulator, api }) => {
      assert.equal(api.strict, false);
      const aws = await create(api, awsBody(undefined, { displayName: "quirky" }), 201);
      const read = (id: string) => api.call(`${CONNECTIONS}/${id}?environment=${ENV}`);
      for (const body of [aws, (await read(aws.id)).body]) {
        assert.equal(body.status.phase, "PROVISIONING");
        assert.equal(body.spec.cloud.kind, "networking.v1.AwsPrivateLinkAttachmentConnection");
        assert.equal(body.status.cloud.kind, "networking.v1.AwsPrivateLinkAttachmentConnectionStatus");
        assert.equal(body.status.cloud.vpc_endpoint_id, aws.spec.cloud.vpc_endpoint_id);
        assert.equal(body.status.cloud.vpc_endpoint_service_name, "");
        assert.equal(body.status.error_code, "");
        assert.equal(body.status.error_message, "");
        assert.equal(typeof body.metadata.deleted_at, "string", "deleted_at on a live object");
        assert.ok(body.metadata.self.startsWith(`${PRODUCTION}${CONNECTIONS}/${aws.id}`));
        assert.ok(body.spec.environment.related.startsWith(PRODUCTION));
        assert.ok(body.spec.private_link_attachment.related.startsWith(PRODUCTION));
        assert.equal(JSON.stringify(body).includes(emulator.url), false, "no link names the emulator");
      }
      clock.advance(5000);
      const ready = (await read(aws.id)).body;
      assert.equal(ready.status.phase, "READY");
      assert.ok(ready.status.cloud.vpc_endpoint_service_name.length > 0);
      assert.equal(typeof ready.metadata.deleted_at, "string");
      assert.equal(ready.status.error_code, "");

      const azure = await create(api, azureBody(), 201);
      assert.equal(azure.spec.cloud.kind, "networking.v1.AzurePrivateLinkAttachmentConnection");
      assert.equal(azure.status.cloud.kind, "networking.v1.AzurePrivateLinkAttachmentConnectionStatus");
      assert.equal(typeof azure.status.cloud.zone, "string");
      assert.equal(azure.status.cloud.private_link_service_alias, "");
      clock.advance(5000);
      const azureReady = (await read(azure.id)).body;
      assert.equal(typeof azureReady.status.cloud.zone, "string");
      assert.ok(azureReady.status.cloud.private_link_service_alias.length > 0);

      const gcp = await create(api, gcpBody(), 201);
      assert.equal(gcp.spec.cloud.kind, "networking.v1.GcpPrivateLinkAttachmentConnection");
      assert.equal(gcp.status.cloud.kind, "networking.v1.GcpPrivateLinkAttachmentConnectionStatus");
    });
  });

  test("quirks: the last list page has metadata.next = \"\" and links name https://api.confluent.cloud", async () => {
    await withEmulator({ quirks: true }, async ({ emulator, api }) => {
      for (let i = 0; i < 3; i++) await create(api, awsBody(), 201);
      const first = await api.call(`${CONNECTIONS}?environment=${ENV}&page_size=2`);
      assert.equal(first.body.data.length, 2);
      assert.ok(first.body.metadata.first.startsWith(`${PRODUCTION}${CONNECTIONS}?`));
      const next = new URL(first.body.metadata.next);
      assert.equal(next.origin, PRODUCTION);
      assert.equal(next.pathname, CONNECTIONS);
      // follow it against the emulator, keeping the token opaque
      const last = await api.call(`${CONNECTIONS}${next.search}`);
      assert.equal(last.status, 200);
      assert.equal(last.body.data.length, 1);
      assert.equal(last.body.metadata.next, "");
      const single = await api.call(`${CONNECTIONS}?environment=${ENV}`);
      assert.equal(single.body.metadata.next, "");
      assert.equal(JSON.stringify(single.body).includes(emulator.url), false);
    });
  });

  test("strict mode has none of these quirks (every body checked against the spec)", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 5000 } }, async ({ emulator, api }) => {
      assert.equal(api.strict, true);
      const read = (id: string) => api.call(`${CONNECTIONS}/${id}?environment=${ENV}`);
      const aws = await create(api, awsBody(), 202);
      const azure = await create(api, azureBody(), 202);
      const gcp = await create(api, gcpBody(), 202);
      for (const body of [aws, azure, gcp, (await read(aws.id)).body]) {
        assert.equal(body.status.phase, "PROVISIONING");
        assert.equal(body.spec.cloud.kind.startsWith(PREFIX), false);
        assert.equal(body.status.cloud, undefined, "no status.cloud (hence no empty strings) while PROVISIONING");
        assert.equal("error_code" in body.status, false);
        assert.equal("error_message" in body.status, false);
        assert.equal("deleted_at" in body.metadata, false);
        assert.equal(body.metadata.self, `${emulator.url}${CONNECTIONS}/${body.id}`);
        assert.ok(body.spec.environment.related.startsWith(emulator.url));
        assert.equal(JSON.stringify(body).includes(PRODUCTION), false);
      }
      clock.advance(5000);
      for (const c of [aws, azure, gcp]) {
        const body = (await read(c.id)).body;
        assert.equal(body.status.phase, "READY");
        assert.equal(body.status.cloud.kind.startsWith(PREFIX), false);
        assert.ok(Object.values(body.status.cloud).every((v) => v !== ""));
        assert.equal("zone" in body.status.cloud, false);
        assert.equal("deleted_at" in body.metadata, false);
      }
      await create(api, awsBody(), 202);
      const first = await api.call(`${CONNECTIONS}?environment=${ENV}&page_size=3`);
      assert.ok(first.body.metadata.next.startsWith(`${emulator.url}${CONNECTIONS}?`));
      const last = await api.call(`${CONNECTIONS}${new URL(first.body.metadata.next).search}`);
      assert.equal(last.body.data.length, 1);
      assert.equal("next" in last.body.metadata, false, "the last page has no next link");
      assert.ok(api.checked.length > 0);
    });
  });
});

describe("recorded connection bodies", () => {
  test("there are recorded bodies to check", () => {
    assert.ok(connectionFiles.length >= 8, connectionFiles.join(", "));
    assert.ok(attachmentFiles.length >= 4, attachmentFiles.join(", "));
  });

  for (const file of connectionFiles) {
    test(`${file}: seeded (in-process and over HTTP) and read back in quirks mode, it keeps what a client uses and every key`, async () => {
      const body = load(file);
      const env: string = body.spec.environment.id;
      const clock = new ManualClock();
      await withEmulator({ quirks: true, clock }, async ({ emulator, api }) => {
        for (const via of ["in-process", "http"] as const) {
          emulator.control.reset();
          let seededId: string;
          if (via === "in-process") {
            seededId = emulator.control.seedConnection(body).id;
          } else {
            const seeded = await ctlSeed(emulator, body);
            assert.equal(seeded.status, 200, seeded.text);
            seededId = seeded.body.id;
          }
          assert.equal(seededId, body.id);

          const reply = await api.call(`${CONNECTIONS}/${body.id}?environment=${env}`);
          assert.equal(reply.status, 200, `${via}: ${reply.text}`);
          const answer = reply.body;
          assert.deepEqual(projection(answer), projection(body), via);
          const wanted = filledStatusCloud(body);
          const got = filledStatusCloud(answer);
          assert.deepEqual(Object.fromEntries(Object.keys(wanted).map((k) => [k, got[k]])), wanted, `${via}: status.cloud`);
          // No exceptions needed: metadata timestamps are re-rendered (same instant, not the same spelling) but present.
          assert.deepEqual(missingPaths(body, answer), [], `${via}: key paths of ${file} missing from the answer`);
          assert.equal(Date.parse(answer.metadata.created_at), Date.parse(body.metadata.created_at), "the same instant");

          // the listing of its environment (and attachment) shows the same object
          const listed = await api.call(`${CONNECTIONS}?environment=${env}&spec.private_link_attachment=${body.spec.private_link_attachment.id}`);
          assert.deepEqual(listed.body.data.map((c: Json) => c.id), [body.id]);
          // and the attachment it names exists now, in the same cloud
          const attachment = await api.call(`${ATTACHMENTS}/${body.spec.private_link_attachment.id}?environment=${env}`);
          assert.equal(attachment.status, 200);
          assert.equal(attachment.body.spec.cloud, { AwsPrivateLinkAttachmentConnection: "AWS", AzurePrivateLinkAttachmentConnection: "AZURE", GcpPrivateLinkAttachmentConnection: "GCP" }[bare(body.spec.cloud.kind) as string]);
        }
      });
    });

    test(`${file}: seeded into a strict emulator, GET answers a spec-valid body with the same content`, async () => {
      const body = load(file);
      const env: string = body.spec.environment.id;
      await withEmulator({ clock: new ManualClock() }, async ({ emulator, api }) => {
        const view = emulator.control.seedConnection(body);
        assert.equal(view.id, body.id);
        const reply = await api.call(`${CONNECTIONS}/${body.id}?environment=${env}`); // checked against the spec
        assert.equal(reply.status, 200, reply.text);
        const answer = reply.body;
        assert.deepEqual(projection(answer), projection(body));
        assert.equal(answer.spec.cloud.kind, bare(body.spec.cloud.kind), "strict kinds are bare");
        assert.equal("deleted_at" in answer.metadata, false, "a live object has no deleted_at in strict mode");
        if (answer.status.cloud === undefined) {
          assert.equal(answer.status.phase, "PROVISIONING", "only a PROVISIONING connection may lack status.cloud");
        } else {
          assert.equal("zone" in answer.status.cloud, false, "strict mode renders no unknown fields");
          const wanted = filledStatusCloud(body);
          delete wanted.zone;
          const got = filledStatusCloud(answer);
          assert.deepEqual(Object.fromEntries(Object.keys(wanted).map((k) => [k, got[k]])), wanted);
        }
        assert.deepEqual(view.body, answer, "the control view renders what GET answers");
        assert.ok(api.checked.includes(`GET ${CONNECTIONS}/{id} 200`));
      });
    });
  }

  test("a seeded body that is not a connection is refused (in-process and over HTTP)", async () => {
    await withEmulator({}, async ({ emulator }) => {
      const body = load(connectionFiles[0]!);
      const broken = { ...body, spec: { ...body.spec, cloud: { kind: "networking.v1.OnPremConnection" } } };
      assert.throws(() => emulator.control.seedConnection(broken), /kind/);
      assert.equal((await ctlSeed(emulator, broken)).status, 400);
      emulator.control.seedConnection(body);
      const again = await ctlSeed(emulator, body);
      assert.equal(again.status, 400, "the same id twice");
      assert.match(again.body.errors[0].detail, /already exists/);
    });
  });
});

describe("attachments against the recorded attachment bodies", () => {
  const byCloud: Record<string, string> = { AWS: AWS_ATTACHMENT, AZURE: AZURE_ATTACHMENT, GCP: GCP_ATTACHMENT };
  const union = new Set(attachmentFiles.flatMap((f) => keyPaths(load(f))));

  for (const file of attachmentFiles) {
    test(`${file}: the seeded ${load(file).spec.cloud} attachment has the recorded key structure (quirks) and is spec-valid (strict)`, async () => {
      const body = load(file);
      const id = byCloud[body.spec.cloud]!;
      await withEmulator({ quirks: true }, async ({ api }) => {
        const reply = await api.call(`${ATTACHMENTS}/${id}?environment=${ENV}`);
        assert.equal(reply.status, 200, reply.text);
        assert.deepEqual(missingPaths(body, reply.body), [], `key paths of ${file} missing from the answer`);
        const extra = keyPaths(reply.body).filter((p) => !union.has(p));
        assert.deepEqual(extra, [], "key paths no recorded attachment has");
        assert.equal(reply.body.spec.cloud, body.spec.cloud);
        assert.equal(reply.body.kind, "PrivateLinkAttachment");
        assert.ok(reply.body.metadata.self.startsWith(`${PRODUCTION}${ATTACHMENTS}/${id}`));
      });
      await withEmulator({}, async ({ api }) => {
        const reply = await api.call(`${ATTACHMENTS}/${id}?environment=${ENV}`); // checked against the spec
        assert.equal(reply.status, 200, reply.text);
        assert.equal(reply.body.spec.cloud, body.spec.cloud);
        assert.equal(bare(reply.body.status.cloud.kind), bare(body.status.cloud.kind));
        const listed = await api.call(`${ATTACHMENTS}?environment=${ENV}`);
        assert.ok(listed.body.data.some((a: Json) => a.id === id));
        assert.deepEqual(api.checked, [`GET ${ATTACHMENTS}/{id} 200`, `GET ${ATTACHMENTS} 200`]);
      });
    });
  }
});
