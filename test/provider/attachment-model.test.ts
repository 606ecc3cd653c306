// The attachment's wire mapping: every cloud's status as its typed output, production's quirks (prefixed kinds,
// "" for absent), and a body without what it must have as an error naming the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { attachmentFromWire, MalformedAttachmentError, toCreateRequest, toUpdateRequest } from "../../provider/attachment/model";
import { AttachmentHarness, attachmentArgs, withAttachments } from "../support/attachment";

const BASE = {
  id: "platt-1",
  metadata: { resource_name: "crn://x/private-link-attachment=platt-1", created_at: "2026-01-01T00:00:00Z" },
  spec: { display_name: "pla", cloud: "AZURE", region: "eastus", environment: { id: "env-1" } },
};

test("status.cloud of each kind, bare or prefixed, becomes the typed output of its cloud; \"\" is absent", () => {
  const azure = attachmentFromWire({
    ...BASE,
    status: {
      phase: "WAITING_FOR_CONNECTIONS", dns_domain: "x.eastus.azure.private.confluent.cloud", error_code: "", error_message: "",
      cloud: { kind: "networking.v1.AzurePrivateLinkAttachmentStatus", private_link_service: { private_link_service_alias: "alias", private_link_service_resource_id: "/subscriptions/s/pls" } },
    },
  });
  assert.deepEqual(azure.state.azure, { privateLinkServiceAlias: "alias", privateLinkServiceResourceId: "/subscriptions/s/pls" });
  assert.equal(azure.state.errorCode, undefined);
  assert.equal(azure.state.dnsDomain, "x.eastus.azure.private.confluent.cloud");
  const gcp = attachmentFromWire({ ...BASE, status: { phase: "READY", cloud: { kind: "GcpPrivateLinkAttachmentStatus", service_attachment: { private_service_connect_service_attachment: "projects/p/regions/r/serviceAttachments/s" } } } });
  assert.deepEqual(gcp.state.gcp, { privateServiceConnectServiceAttachment: "projects/p/regions/r/serviceAttachments/s" });
  const provisioning = attachmentFromWire({ ...BASE, status: { phase: "PROVISIONING", cloud: { kind: "AwsPrivateLinkAttachmentStatus", vpc_endpoint_service: { vpc_endpoint_service_name: "" } } } });
  assert.equal(provisioning.state.aws, undefined, "nothing while it provisions");
});

test("a body without its phase, cloud or environment is an error naming the field", () => {
  assert.throws(() => attachmentFromWire({ ...BASE, status: {} }), (e: unknown) => e instanceof MalformedAttachmentError && e.field === "status.phase");
  assert.throws(() => attachmentFromWire({ ...BASE, spec: { ...BASE.spec, cloud: "" }, status: { phase: "READY" } }), (e: unknown) => e instanceof MalformedAttachmentError && e.field === "spec.cloud");
  assert.throws(() => attachmentFromWire({ ...BASE, spec: { ...BASE.spec, environment: {} }, status: { phase: "READY" } }), /spec\.environment\.id/);
});

test("requests: create sends the spec; a rename that removes the name clears it", () => {
  const inputs = { cloud: "AWS", region: "us-west-2", environment: { id: "env-1" } };
  assert.deepEqual(toCreateRequest(inputs), { spec: { cloud: "AWS", region: "us-west-2", environment: { id: "env-1" } } });
  assert.deepEqual(toUpdateRequest(inputs), { spec: { display_name: "", environment: { id: "env-1" } } });
});

test("against the emulator in quirks mode (production's answers): create, read and the typed AWS status", async () => {
  await withAttachments({ quirks: true }, async (h) => {
    const { id, outs } = await h.create(attachmentArgs());
    assert.equal(outs.phase, "WAITING_FOR_CONNECTIONS");
    assert.match(outs.aws.vpcEndpointServiceName, /\S/);
    assert.equal(outs.errorCode, undefined);
    const read = await h.provider.read(id, AttachmentHarness.state(outs));
    assert.deepEqual(read.props?.aws, outs.aws);
  });
});
