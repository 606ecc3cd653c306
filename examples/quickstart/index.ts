// Quickstart: one AWS, one Azure and one GCP connection. Every id comes from stack config; the defaults are the
// environment and attachments the bundled emulator seeds (`npx confluent-emulator`).
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkAttachmentConnection } from "pulumi-confluent-plattc";

const config = new pulumi.Config();
const environmentId = config.get("environmentId") ?? "env-emu000";
const prefix = config.get("namePrefix") ?? "quickstart";

function summary(c: PrivateLinkAttachmentConnection) {
  return { id: c.id, displayName: c.displayName, phase: c.phase, resourceName: c.resourceName, cloudStatus: c.cloudStatus };
}

const aws = new PrivateLinkAttachmentConnection("aws", {
  displayName: `${prefix}-aws`,
  environment: { id: environmentId },
  privateLinkAttachment: { id: config.get("awsAttachmentId") ?? "platt-emuaws" },
  aws: { vpcEndpointId: config.get("vpcEndpointId") ?? "vpce-0a1b2c3d4e5f60718" },
  timeouts: { create: "30m", delete: "30m" },
});

const azure = new PrivateLinkAttachmentConnection("azure", {
  displayName: `${prefix}-azure`,
  environment: { id: environmentId },
  privateLinkAttachment: { id: config.get("azureAttachmentId") ?? "platt-emuazure" },
  azure: {
    privateEndpointResourceId: config.get("privateEndpointResourceId")
      ?? "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/quickstart/providers/Microsoft.Network/privateEndpoints/pe-quickstart",
  },
});

const gcp = new PrivateLinkAttachmentConnection("gcp", {
  displayName: `${prefix}-gcp`,
  environment: { id: environmentId },
  privateLinkAttachment: { id: config.get("gcpAttachmentId") ?? "platt-emugcp" },
  gcp: { privateServiceConnectConnectionId: config.get("pscConnectionId") ?? "111222333444555" },
});

export const connections = { aws: summary(aws), azure: summary(azure), gcp: summary(gcp) };
