// A Private Service Connect endpoint (an internal address and a forwarding rule targeting the attachment's
// service attachment); its PSC connection id is what Confluent Cloud connects.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkAttachmentConnection } from "pulumi-confluent-plattc";

const config = new pulumi.Config();
const region = config.require("region");

const address = new gcp.compute.Address("confluent-psc", {
  region,
  subnetwork: config.require("subnetwork"),
  addressType: "INTERNAL",
});

const endpoint = new gcp.compute.ForwardingRule("confluent-psc", {
  region,
  network: config.require("network"),
  ipAddress: address.id,
  target: config.require("serviceAttachment"),
  loadBalancingScheme: "",
});

const connection = new PrivateLinkAttachmentConnection("confluent", {
  displayName: pulumi.interpolate`${pulumi.getStack()}-${endpoint.name}`,
  environment: { id: config.require("environmentId") },
  privateLinkAttachment: { id: config.require("privateLinkAttachmentId") },
  gcp: { privateServiceConnectConnectionId: endpoint.pscConnectionId },
});

export const pscConnectionId = endpoint.pscConnectionId;
export const connectionId = connection.id;
export const phase = connection.phase;
