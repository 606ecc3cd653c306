// The resource users declare: `new PrivateLinkAttachmentConnection(name, args, opts)`.
import * as pulumi from "@pulumi/pulumi";
import serializableProvider = require("./handle");

export interface PrivateLinkAttachmentConnectionArgs {
  displayName?: pulumi.Input<string>;
  environment: pulumi.Input<{ id: pulumi.Input<string> }>;
  privateLinkAttachment: pulumi.Input<{ id: pulumi.Input<string> }>;
  /** Exactly one of aws, azure, gcp. */
  aws?: pulumi.Input<{ vpcEndpointId: pulumi.Input<string> }>;
  azure?: pulumi.Input<{ privateEndpointResourceId: pulumi.Input<string> }>;
  gcp?: pulumi.Input<{ privateServiceConnectConnectionId: pulumi.Input<string> }>;
  /** How long create, update and delete may wait, e.g. "90s", "30m", "2h" (default 2h each). */
  timeouts?: pulumi.Input<{ create?: pulumi.Input<string>; update?: pulumi.Input<string>; delete?: pulumi.Input<string> }>;
  /** On create, manage the connection that already exists for this endpoint in the attachment instead of failing. */
  adoptExisting?: pulumi.Input<boolean>;
}

const MODULE = "confluentcloud";
const NAME = "PrivateLinkAttachmentConnection";
/** The type token dynamic.Resource gives it. */
const TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

export class PrivateLinkAttachmentConnection extends pulumi.dynamic.Resource {
  declare readonly displayName: pulumi.Output<string | undefined>;
  declare readonly environment: pulumi.Output<{ id: string }>;
  declare readonly privateLinkAttachment: pulumi.Output<{ id: string }>;
  declare readonly aws: pulumi.Output<{ vpcEndpointId: string } | undefined>;
  declare readonly azure: pulumi.Output<{ privateEndpointResourceId: string } | undefined>;
  declare readonly gcp: pulumi.Output<{ privateServiceConnectConnectionId: string } | undefined>;
  /** metadata.resource_name (CRN). */
  declare readonly resourceName: pulumi.Output<string>;
  /** status.phase verbatim: PROVISIONING, READY, FAILED, DEPROVISIONING, DISCONNECTED or a future value. */
  declare readonly phase: pulumi.Output<string>;
  declare readonly errorCode: pulumi.Output<string | undefined>;
  declare readonly errorMessage: pulumi.Output<string | undefined>;
  /** status.cloud in camelCase without `kind`, e.g. {vpcEndpointId, vpcEndpointServiceName}. */
  declare readonly cloudStatus: pulumi.Output<Record<string, string> | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly updatedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: PrivateLinkAttachmentConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(serializableProvider, name, {
      ...args,
      // The provider is not told which resource it serves; it puts its progress lines on this row. Never diffed.
      __urn: pulumi.createUrn(name, TYPE, opts?.parent),
      resourceName: undefined,
      phase: undefined,
      errorCode: undefined,
      errorMessage: undefined,
      cloudStatus: undefined,
      createdAt: undefined,
      updatedAt: undefined,
    }, opts, MODULE, NAME);
  }
}
