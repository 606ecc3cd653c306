// The private link attachment under the `pulumi` CLI, on the user's path (the package installed from its tarball):
// an attachment and its connections in one program, adopting an existing attachment, drift on an attachment seen by
// the drift check, and the lookups.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";
import { basic } from "../support/http";

const ATTACHMENTS = "/networking/v1/private-link-attachments";
const ATTACHMENT_TIMING = { provisioningMs: 400, deprovisioningMs: 300, expiryMs: 7 * 24 * 3_600_000 };
const DRIFT_CHECK = ["refresh", "--preview-only", "--expect-no-changes", "--diff"];
/** As a CI job runs it: the harness's PULUMI_SKIP_CONFIRMATIONS (an implicit --yes) would refuse --preview-only. */
const AS_A_JOB = { allowFailure: true, env: { PULUMI_SKIP_CONFIRMATIONS: "false" } };

async function start(config: Record<string, unknown>): Promise<EngineProject> {
  const plain = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  return EngineProject.start("attachment", { config: plain, emulator: { attachmentTiming: ATTACHMENT_TIMING } });
}

/** The package's resources of one type in the state. */
async function resourcesOf(p: EngineProject, type: string) {
  const { deployment } = await p.project.exportState();
  return (deployment.resources ?? []).filter((r) => r.type === `pulumi-nodejs:dynamic/confluentcloud:${type}`);
}

function made(p: EngineProject) {
  return p.emulator.control.attachments().filter((a) => !a.seeded);
}

test("an attachment and two connections: preview sends nothing, up waits for both, destroy removes the connections before the attachment", async () => {
  const endpoints = [vpce(), vpce()];
  const p = await start({ vpcEndpointIds: endpoints });
  try {
    await p.pulumi(["preview"]);
    assert.equal(p.apiRequests(), 0, "a preview sends no API request");

    await p.pulumi(["up", "--yes"]);
    const outputs = await p.outputs();
    const [attachment] = made(p);
    assert.ok(attachment, "one attachment was made");
    assert.equal(outputs.attachmentId, attachment.id);
    assert.ok(["WAITING_FOR_CONNECTIONS", "READY"].includes(String(outputs.phase)), String(outputs.phase));
    const status = attachment.body.status as Record<string, any>;
    assert.equal(outputs.dnsDomain, status.dns_domain);
    assert.equal(outputs.vpcEndpointServiceName, status.cloud.vpc_endpoint_service.vpc_endpoint_service_name);
    assert.deepEqual(outputs.connectionAttachments, [attachment.id, attachment.id]);
    const connections = p.emulator.control.connections();
    assert.equal(connections.length, 2);
    assert.ok(connections.every((c) => c.privateLinkAttachmentId === attachment.id && c.phase === "READY"), "each connection waited for READY");
    const [stored] = await resourcesOf(p, "PrivateLinkAttachment");
    assert.match(String(stored!.outputs?.__provider), /require\("pulumi-confluent-plattc\/dist\/provider\/attachment-handle\.js"\)/);
    assert.ok(Buffer.byteLength(String(stored!.outputs?.__provider)) < 1024, "a require(), not a copy of the code");
    // The connections made the attachment READY after state recorded WAITING_FOR_CONNECTIONS: both serve, no drift.
    assert.equal(p.emulator.control.attachment(attachment.id)!.phase, "READY");
    const check = await p.pulumi(DRIFT_CHECK, AS_A_JOB);
    assert.equal(check.code, 0, `WAITING_FOR_CONNECTIONS → READY is no drift:\n${check.stdout}\n${check.stderr}`);

    const before = p.emulator.control.requests().length;
    await p.pulumi(["destroy", "--yes"]);
    assert.equal(p.emulator.control.connections().length, 0);
    assert.equal(p.emulator.control.attachment(attachment.id), undefined, "the attachment is gone");
    const log = p.emulator.control.requests().slice(before);
    const attachmentDelete = log.findIndex((r) => r.method === "DELETE" && r.path.endsWith(attachment.id));
    for (const c of connections) {
      const gone = log.findIndex((r) => r.method === "GET" && r.path.endsWith(c.id) && r.status === 404);
      assert.ok(gone >= 0 && gone < attachmentDelete, `${c.id} was deleted and gone before the attachment's DELETE`);
    }
    assert.equal(log.filter((r) => r.method === "GET" && r.path.endsWith(attachment.id)).at(-1)?.status, 404, "destroy waited until the attachment was gone");
  } finally {
    await p.dispose();
  }
});

test("adoptExisting: true adopts the attachment with the same environment, cloud, region and display name", async () => {
  const p = await start({ adoptExisting: "true", displayName: "made-by-hand" });
  try {
    const res = await fetch(`${p.emulator.url}${ATTACHMENTS}`, {
      method: "POST",
      headers: { Authorization: basic(p.emulator.credentials.apiKey, p.emulator.credentials.apiSecret), "Content-Type": "application/json" },
      body: JSON.stringify({ spec: { display_name: "made-by-hand", cloud: "AWS", region: "us-west-2", environment: { id: "env-emu000" } } }),
    });
    assert.equal(res.status, 202);
    const existing = (await res.json()) as { id: string };
    await p.pulumi(["up", "--yes"]);
    assert.equal((await p.outputs()).attachmentId, existing.id);
    assert.equal(made(p).length, 1, "no second attachment");
    const creates = p.emulator.control.requests().filter((r) => r.method === "POST" && r.path === ATTACHMENTS);
    assert.equal(creates.length, 1, "the hand-made create only");
    assert.equal((await resourcesOf(p, "PrivateLinkAttachment"))[0]?.id, existing.id);
  } finally {
    await p.dispose();
  }
});

test("drift on an attachment: a rename and EXPIRED fail the drift check, each on the attachment's row", async () => {
  const p = await start({});
  try {
    await p.pulumi(["up", "--yes"]);
    const [attachment] = made(p);
    const clean = await p.pulumi(DRIFT_CHECK, AS_A_JOB);
    assert.equal(clean.code, 0, `nothing drifted:\n${clean.stdout}\n${clean.stderr}`);

    p.emulator.control.renameAttachment(attachment!.id, "renamed-in-the-console");
    const renamed = await p.pulumi(DRIFT_CHECK, AS_A_JOB);
    const renamedOutput = `${renamed.stdout}\n${renamed.stderr}`;
    assert.notEqual(renamed.code, 0, renamedOutput);
    assert.match(renamedOutput, /~ displayName\s*: "orders-pla" => "renamed-in-the-console"/, renamedOutput);

    p.emulator.control.renameAttachment(attachment!.id, "orders-pla");
    p.emulator.control.setAttachmentPhase(attachment!.id, "EXPIRED");
    const before = p.emulator.control.requests().length;
    const expired = await p.pulumi(DRIFT_CHECK, AS_A_JOB);
    const output = `${expired.stdout}\n${expired.stderr}`;
    assert.notEqual(expired.code, 0, output);
    assert.match(output, /~ phase\s*: "WAITING_FOR_CONNECTIONS" => "EXPIRED"/, output);
    assert.match(output, new RegExp(`${attachment!.id} is EXPIRED.*can only be deleted`), output);
    assert.ok(p.emulator.control.requests().slice(before).every((r) => r.method === "GET"), "the check only reads");

    // `up` after a refresh replaces it: a new attachment, then the expired one deleted.
    await p.pulumi(["refresh", "--yes"]);
    await p.pulumi(["up", "--yes"]);
    const now = made(p).filter((a) => a.phase !== "DEPROVISIONING");
    assert.equal(now.length, 1);
    assert.notEqual(now[0]!.id, attachment!.id, "replaced");
    assert.equal((await p.outputs()).attachmentId, now[0]!.id);
  } finally {
    await p.dispose();
  }
});

test("the lookups in a program: getPrivateLinkAttachmentOutput, listPrivateLinkAttachments and PrivateLinkAttachment.get", async () => {
  const p = await start({ lookups: "true" });
  try {
    await p.pulumi(["up", "--yes"]);
    const outputs = await p.outputs();
    const id = String(outputs.attachmentId);
    assert.deepEqual(outputs.lookedUp, { id, phase: outputs.phase, region: "us-west-2" });
    assert.deepEqual(outputs.listed, [id, "platt-emuaws", "platt-emuazure", "platt-emugcp"].sort());
    const seeded = p.emulator.control.attachment("platt-emuaws")!.body.status as Record<string, any>;
    assert.equal(outputs.seededCloud, seeded.cloud.vpc_endpoint_service.vpc_endpoint_service_name);
    await p.pulumi(["destroy", "--yes"]);
    assert.ok(p.emulator.control.attachment("platt-emuaws"), "destroy leaves an attachment read with get");
  } finally {
    await p.dispose();
  }
});
