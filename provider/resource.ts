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

/** Output-only properties, declared as undefined inputs so that the SDK makes them Outputs of the resource. */
const OUTPUT_PLACEHOLDERS = {
  resourceName: undefined, phase: undefined, errorCode: undefined, errorMessage: undefined, cloudStatus: undefined, createdAt: undefined, updatedAt: undefined,
};

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
    // The SDK records a stack trace on every promise it makes for a property (for its promise-leak report), and
    // under ts-node each one goes through source-map lookups: with a connection's dozen properties that was most of
    // what a preview spent per resource beyond a bare dynamic resource. None is recorded while the resource
    // registers its properties; an error the SDK throws meanwhile gets the stack of this call.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(serializableProvider, name, {
        ...args,
        // The provider is not told which resource it serves; it puts its progress lines on this row. Never diffed.
        __urn: pulumi.createUrn(name, TYPE, opts?.parent),
        ...OUTPUT_PLACEHOLDERS,
      }, opts, MODULE, NAME);
    } catch (error) {
      Error.stackTraceLimit = stackTraceLimit;
      if (error instanceof Error) Error.captureStackTrace(error, PrivateLinkAttachmentConnection);
      throw error;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}
