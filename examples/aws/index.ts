// An interface VPC endpoint to the attachment's endpoint service, connected to Confluent Cloud. Deleting the
// stack deletes the connection first and waits until it is gone, so the endpoint is never removed under it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkAttachmentConnection } from "pulumi-confluent-plattc";

const config = new pulumi.Config();
const vpcId = config.require("vpcId");

const securityGroup = new aws.ec2.SecurityGroup("confluent-privatelink", {
  vpcId,
  description: "Kafka clients to Confluent Cloud over PrivateLink",
  ingress: [443, 9092].map((port) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["10.0.0.0/8"] })),
});

const endpoint = new aws.ec2.VpcEndpoint("confluent", {
  vpcId,
  serviceName: config.require("vpcEndpointServiceName"),
  vpcEndpointType: "Interface",
  subnetIds: config.requireObject<string[]>("subnetIds"),
  securityGroupIds: [securityGroup.id],
  privateDnsEnabled: false,
});

const connection = new PrivateLinkAttachmentConnection("confluent", {
  displayName: pulumi.interpolate`${pulumi.getStack()}-${endpoint.id}`,
  environment: { id: config.require("environmentId") },
  privateLinkAttachment: { id: config.require("privateLinkAttachmentId") },
  aws: { vpcEndpointId: endpoint.id },
  timeouts: { create: "45m", delete: "30m" },
});

export const vpcEndpointId = endpoint.id;
export const connectionId = connection.id;
export const phase = connection.phase;
export const vpcEndpointServiceName = connection.cloudStatus.apply((s) => s?.vpcEndpointServiceName);
