// Quickstart: one private link attachment per cloud (AWS us-east-1, Azure eastus, GCP us-central1) and a connection
// on each, wired from the attachment it declares. The environment and the endpoint ids come from stack config; the
// defaults are the environment the bundled emulator seeds (`npx confluent-emulator`) and endpoint ids it accepts.
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkAttachment, PrivateLinkAttachmentConnection } from "pulumi-confluent-plattc";

const config = new pulumi.Config();
const environmentId = config.get("environmentId") ?? "env-emu000";
const prefix = config.get("namePrefix") ?? "quickstart";

function attachmentSummary(a: PrivateLinkAttachment, endpoint: pulumi.Output<string | undefined>) {
  return { id: a.id, displayName: a.displayName, phase: a.phase, dnsDomain: a.dnsDomain, endpoint };
}

function summary(c: PrivateLinkAttachmentConnection) {
  return { id: c.id, displayName: c.displayName, phase: c.phase, resourceName: c.resourceName, cloudStatus: c.cloudStatus };
}

// The attachments: what each cloud's endpoint connects to.
const awsAttachment = new PrivateLinkAttachment("aws", {
  cloud: "AWS",
  region: "us-east-1",
  displayName: `${prefix}-aws`,
  environment: { id: environmentId },
});

const azureAttachment = new PrivateLinkAttachment("azure", {
  cloud: "AZURE",
  region: "eastus",
  displayName: `${prefix}-azure`,
  environment: { id: environmentId },
});

const gcpAttachment = new PrivateLinkAttachment("gcp", {
  cloud: "GCP",
  region: "us-central1",
  displayName: `${prefix}-gcp`,
  environment: { id: environmentId },
});

// A connection on each attachment: its cloud endpoint (created outside this program) attached to it.
const aws = new PrivateLinkAttachmentConnection("aws", {
  displayName: `${prefix}-aws`,
  environment: awsAttachment.environment,
  privateLinkAttachment: { id: awsAttachment.id },
  aws: { vpcEndpointId: config.get("vpcEndpointId") ?? "vpce-0a1b2c3d4e5f60718" },
  timeouts: { create: "30m", delete: "30m" },
});

const azure = new PrivateLinkAttachmentConnection("azure", {
  displayName: `${prefix}-azure`,
  environment: azureAttachment.environment,
  privateLinkAttachment: { id: azureAttachment.id },
  azure: {
    privateEndpointResourceId: config.get("privateEndpointResourceId")
      ?? "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/quickstart/providers/Microsoft.Network/privateEndpoints/pe-quickstart",
  },
});

const gcp = new PrivateLinkAttachmentConnection("gcp", {
  displayName: `${prefix}-gcp`,
  environment: gcpAttachment.environment,
  privateLinkAttachment: { id: gcpAttachment.id },
  gcp: { privateServiceConnectConnectionId: config.get("pscConnectionId") ?? "111222333444555" },
});

// Each attachment's endpoint output is what the cloud side's endpoint targets: the AWS VPC endpoint service name,
// the Azure private link service alias, the GCP Private Service Connect service attachment.
export const attachments = {
  aws: attachmentSummary(awsAttachment, awsAttachment.aws.apply((s) => s?.vpcEndpointServiceName)),
  azure: attachmentSummary(azureAttachment, azureAttachment.azure.apply((s) => s?.privateLinkServiceAlias)),
  gcp: attachmentSummary(gcpAttachment, gcpAttachment.gcp.apply((s) => s?.privateServiceConnectServiceAttachment)),
};
export const connections = { aws: summary(aws), azure: summary(azure), gcp: summary(gcp) };
