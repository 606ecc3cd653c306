// A private endpoint to the attachment's private link service (by alias, with manual approval on Confluent's
// side), connected to Confluent Cloud.
import * as azure from "@pulumi/azure";
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkAttachmentConnection } from "pulumi-confluent-plattc";

const config = new pulumi.Config();

const endpoint = new azure.privatelink.Endpoint("confluent", {
  resourceGroupName: config.require("resourceGroupName"),
  location: config.require("location"),
  subnetId: config.require("subnetId"),
  privateServiceConnection: {
    name: "confluent-cloud",
    privateConnectionResourceAlias: config.require("privateLinkServiceAlias"),
    isManualConnection: true,
    requestMessage: "Confluent Cloud private link attachment connection",
  },
});

const connection = new PrivateLinkAttachmentConnection("confluent", {
  displayName: pulumi.interpolate`${pulumi.getStack()}-${endpoint.name}`,
  environment: { id: config.require("environmentId") },
  privateLinkAttachment: { id: config.require("privateLinkAttachmentId") },
  azure: { privateEndpointResourceId: endpoint.id },
});

export const privateEndpointId = endpoint.id;
export const connectionId = connection.id;
export const phase = connection.phase;
