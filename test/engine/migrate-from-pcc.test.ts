// Moving a stack whose connection pulumi-confluentcloud manages over to this package, by the README's steps, under
// the `pulumi` CLI: the stack's state holds the connection and its default provider as pulumi-confluentcloud writes
// them (brought in with `pulumi stack import`, so its plugin is not needed), credentials in the stack config as
// secrets. `pulumi state delete` forgets the old resource, the program declares this package's with
// adoptExisting: true, `pulumi up` takes the same connection under management: no POST, no DELETE.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { AWS_ATTACHMENT, ENV, vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";
import type { StateResource } from "../../scripts/pulumi-cli";

const CANARY = { apiKey: "MIGRATECANARYKY", apiSecret: "migrate-canary-secret-0ddba11" };
const PROJECT = "one-connection";
const STACK_URN = `urn:pulumi:dev::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-dev`;
const PCC_TYPE = "confluentcloud:index/privateLinkAttachmentConnection:PrivateLinkAttachmentConnection";
const PCC_URN = `urn:pulumi:dev::${PROJECT}::${PCC_TYPE}::aws`;
const PROVIDER_URN = `urn:pulumi:dev::${PROJECT}::pulumi:providers:confluentcloud::default_2_82_0`;
const PROVIDER_ID = "0b5f5b6e-3c1e-4c2e-9d55-6a4c7f1e2d3a";

/** A secret as `pulumi stack export --show-secrets` writes it; `pulumi stack import` encrypts it. */
function secret(value: string): Record<string, string> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) };
}

/** The resources of a stack where pulumi-confluentcloud 2.82.0 created the connection (its default provider configured from the stack config). */
function pccResources(connection: { id: string; vpcEndpointId: string; resourceName: string }, endpoint: string): Array<Record<string, unknown>> {
  const at = "2026-01-01T00:00:00.000Z";
  const spec = { aws: { vpcEndpointId: connection.vpcEndpointId }, displayName: "orders-vpce", environment: { id: ENV }, privateLinkAttachment: { id: AWS_ATTACHMENT } };
  const providerConfig = { cloudApiKey: secret(CANARY.apiKey), cloudApiSecret: secret(CANARY.apiSecret), endpoint, version: "2.82.0" };
  return [
    { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack", outputs: { id: connection.id }, created: at, modified: at },
    { urn: PROVIDER_URN, custom: true, id: PROVIDER_ID, type: "pulumi:providers:confluentcloud", inputs: providerConfig, outputs: providerConfig, created: at, modified: at },
    {
      urn: PCC_URN, custom: true, id: connection.id, type: PCC_TYPE, inputs: spec,
      outputs: { ...spec, azure: null, gcp: null, id: connection.id, resourceName: connection.resourceName },
      parent: STACK_URN, provider: `${PROVIDER_URN}::${PROVIDER_ID}`,
      propertyDependencies: { aws: [], displayName: [], environment: [], privateLinkAttachment: [] }, created: at, modified: at,
    },
  ];
}

async function everything(p: EngineProject): Promise<{ text: string; resources: StateResource[] }> {
  const { text, deployment } = await p.project.exportState();
  return { text, resources: deployment.resources ?? [] };
}

test("a connection pulumi-confluentcloud manages moves to this package by the README's steps: the same id, managed, nothing created or deleted", async () => {
  const vpcEndpointId = vpce();
  const p = await EngineProject.start(PROJECT, {
    emulator: { credentials: CANARY }, credentials: "config", config: { vpcEndpointId, displayName: "orders-vpce", adoptExisting: "true" },
  });
  try {
    const seeded = p.emulator.control.seedConnection({
      spec: { display_name: "orders-vpce", cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpcEndpointId }, environment: { id: ENV }, private_link_attachment: { id: AWS_ATTACHMENT } },
      status: { phase: "READY" },
    });
    const resourceName = (seeded.body as { metadata: { resource_name: string } }).metadata.resource_name;
    const { text: fresh } = await p.project.exportState();
    const deployment = JSON.parse(fresh) as { version: number; deployment: { resources?: unknown[] } };
    deployment.deployment.resources = pccResources({ id: seeded.id, vpcEndpointId, resourceName }, p.emulator.url);
    const file = path.join(p.project.root, "pcc-stack.json");
    writeFileSync(file, JSON.stringify(deployment));
    await p.pulumi(["stack", "import", "--file", file]);
    assert.deepEqual((await everything(p)).resources.map((r) => r.type), ["pulumi:pulumi:Stack", "pulumi:providers:confluentcloud", PCC_TYPE]);

    // The mistake: the program already declares this package's connection, the old one is still in the state. With
    // pulumi-confluentcloud's plugin this update would delete the connection; without it, it fails before any request.
    const mistake = await p.pulumi(["up", "--yes"], { allowFailure: true });
    assert.notEqual(mistake.code, 0);
    assert.match(mistake.stdout + mistake.stderr, /pulumi-resource-confluentcloud/);
    assert.equal(p.apiRequests(), 0);

    // The steps: forget the old resource (its delete is not called), then `pulumi up` adopts the connection.
    const forget = await p.pulumi(["state", "delete", PCC_URN, "--yes"]);
    assert.equal(p.apiRequests(), 0, "state delete sends nothing");
    const up = await p.pulumi(["up", "--yes"]);
    assert.equal((await p.outputs()).id, seeded.id);
    const { text, resources } = await everything(p);
    const ours = resources.filter((r) => r.type.endsWith(":PrivateLinkAttachmentConnection"));
    assert.deepEqual(ours.map((r) => [r.type, r.id]), [["pulumi-nodejs:dynamic/confluentcloud:PrivateLinkAttachmentConnection", seeded.id]]);
    assert.ok(!resources.some((r) => r.type === "pulumi:providers:confluentcloud"), "the unused default provider of pulumi-confluentcloud left the state, without its plugin");
    const sent = p.emulator.control.requests().map((r) => r.method);
    assert.ok(sent.length > 0 && sent.every((m) => m === "GET"), `only reads: ${sent.join(", ")}`);
    assert.equal(p.emulator.control.connection(seeded.id)?.phase, "READY");
    await p.pulumi(["preview", "--expect-no-changes"]);

    for (const secretForm of [CANARY.apiKey, CANARY.apiSecret]) {
      for (const [where, body] of [["stack export", text], ["state delete", forget.stdout + forget.stderr], ["pulumi up", up.stdout + up.stderr]] as const) {
        assert.ok(!body.includes(secretForm), `${where} holds a secret`);
      }
    }

    // Managed now: destroy deletes it.
    await p.pulumi(["destroy", "--yes"]);
    assert.deepEqual(p.emulator.control.requests().filter((r) => r.method === "DELETE").map((r) => r.path.split("/").pop()), [seeded.id]);
    assert.equal(p.emulator.control.connection(seeded.id), undefined);
  } finally {
    await p.dispose();
  }
});
