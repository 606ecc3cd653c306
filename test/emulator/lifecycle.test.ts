import { test } from "node:test";
import assert from "node:assert/strict";
import { AWS_ATTACHMENT, awsBody, azureBody, CONNECTIONS, ENV, gcpBody, ManualClock, withEmulator } from "../support/emulator";

test("create answers 202 with Location in PROVISIONING, turns READY after provisioningMs with status.cloud from the attachment", async () => {
  const clock = new ManualClock();
  await withEmulator({ clock, timing: { provisioningMs: 5000 } }, async ({ api, emulator }) => {
    const created = await api.call(CONNECTIONS, { method: "POST", body: awsBody("vpce-0ed4d51f5d6ef9b6d", { displayName: "prod" }) });
    assert.equal(created.status, 202);
    const id: string = created.body.id;
    assert.match(id, /^plattc-/);
    assert.equal(created.headers.get("location"), `${emulator.url}${CONNECTIONS}/${id}`);
    assert.equal(created.body.status.phase, "PROVISIONING");
    assert.equal(created.body.status.cloud, undefined, "strict mode shows no half-filled status.cloud");
    assert.equal(created.body.spec.display_name, "prod");
    assert.equal(created.body.metadata.self, `${emulator.url}${CONNECTIONS}/${id}`);
    assert.match(created.body.metadata.resource_name, new RegExp(`^crn://confluent.cloud/.*/private-link-attachment-connection=${id}$`));

    clock.advance(4999);
    assert.equal((await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`)).body.status.phase, "PROVISIONING");
    clock.advance(1);
    const ready = await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status.phase, "READY");
    assert.equal(ready.body.status.cloud.kind, "AwsPrivateLinkAttachmentConnectionStatus");
    assert.equal(ready.body.status.cloud.vpc_endpoint_id, "vpce-0ed4d51f5d6ef9b6d");
    assert.match(ready.body.status.cloud.vpc_endpoint_service_name, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
  });
});

test("Azure and GCP connections get their attachment's private link service and service attachment", async () => {
  const clock = new ManualClock();
  await withEmulator({ clock, timing: { provisioningMs: 10 } }, async ({ api }) => {
    const azure = (await api.call(CONNECTIONS, { method: "POST", body: azureBody("pe-one") })).body;
    const gcp = (await api.call(CONNECTIONS, { method: "POST", body: gcpBody("123456789012") })).body;
    clock.advance(10);
    const a = (await api.call(`${CONNECTIONS}/${azure.id}?environment=${ENV}`)).body.status.cloud;
    assert.equal(a.kind, "AzurePrivateLinkAttachmentConnectionStatus");
    assert.match(a.private_link_service_alias, /^pls-platt-emuazure\..*\.eastus\.azure\.privatelinkservice$/);
    assert.match(a.private_link_service_resource_id, /\/providers\/Microsoft\.Network\/privateLinkServices\/pls-platt-emuazure$/);
    assert.match(a.private_endpoint_resource_id, /\/privateEndpoints\/pe-one$/);
    const g = (await api.call(`${CONNECTIONS}/${gcp.id}?environment=${ENV}`)).body.status.cloud;
    assert.equal(g.kind, "GcpPrivateLinkAttachmentConnectionStatus");
    assert.equal(g.private_service_connect_connection_id, "123456789012");
    assert.match(g.private_service_connect_service_attachment, /^projects\/.*\/regions\/us-central1\/serviceAttachments\//);
  });
});

test("PATCH renames (only display_name) and bumps updated_at", async () => {
  const clock = new ManualClock();
  await withEmulator({ clock }, async ({ api }) => {
    const { id, metadata } = (await api.call(CONNECTIONS, { method: "POST", body: awsBody(undefined, { displayName: "old" }) })).body;
    clock.advance(1000);
    const patched = await api.call(`${CONNECTIONS}/${id}`, { method: "PATCH", body: { spec: { display_name: "new", environment: { id: ENV } } } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.spec.display_name, "new");
    assert.notEqual(patched.body.metadata.updated_at, metadata.updated_at);
    assert.equal(patched.body.metadata.created_at, metadata.created_at);
    assert.equal((await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`)).body.spec.display_name, "new");
  });
});

test("DELETE answers 204, GET shows DEPROVISIONING for deprovisioningMs, then 404", async () => {
  const clock = new ManualClock();
  await withEmulator({ clock, timing: { provisioningMs: 0, deprovisioningMs: 3000 } }, async ({ api }) => {
    const { id } = (await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).body;
    const deleted = await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`, { method: "DELETE" });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    const during = await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`);
    assert.equal(during.body.status.phase, "DEPROVISIONING");
    assert.ok(during.body.metadata.deleted_at);
    assert.equal((await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`, { method: "DELETE" })).status, 204, "deleting again while deprovisioning is accepted");
    clock.advance(2999);
    assert.equal((await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`)).status, 200);
    clock.advance(1);
    const gone = await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.errors[0].status, "404");
    assert.equal((await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`, { method: "DELETE" })).status, 404);
    assert.equal((await api.call(`${CONNECTIONS}?environment=${ENV}`)).body.data.length, 0);
  });
});

test("a PATCH on a connection being deleted is a 409 with Location", async () => {
  await withEmulator({ timing: { deprovisioningMs: 60_000 } }, async ({ api }) => {
    const { id } = (await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).body;
    await api.call(`${CONNECTIONS}/${id}?environment=${ENV}`, { method: "DELETE" });
    const patched = await api.call(`${CONNECTIONS}/${id}`, { method: "PATCH", body: { spec: { display_name: "x", environment: { id: ENV } } } });
    assert.equal(patched.status, 409);
    assert.match(patched.headers.get("location") ?? "", new RegExp(`${id}$`));
  });
});

test("the same endpoint may be attached again once the old connection is gone", async () => {
  const clock = new ManualClock();
  await withEmulator({ clock, timing: { deprovisioningMs: 1000 } }, async ({ api }) => {
    const body = awsBody("vpce-00000000000000abc");
    const first = (await api.call(CONNECTIONS, { method: "POST", body })).body;
    await api.call(`${CONNECTIONS}/${first.id}?environment=${ENV}`, { method: "DELETE" });
    assert.equal((await api.call(CONNECTIONS, { method: "POST", body })).status, 409, "still attached while DEPROVISIONING");
    clock.advance(1000);
    const second = await api.call(CONNECTIONS, { method: "POST", body });
    assert.equal(second.status, 202);
    assert.notEqual(second.body.id, first.id);
    assert.equal(second.body.spec.private_link_attachment.id, AWS_ATTACHMENT);
  });
});
