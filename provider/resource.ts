// The resource users declare: `new PrivateLinkAttachmentConnection(name, args, opts)`.
import * as pulumi from "@pulumi/pulumi";
import serializableProvider = require("./handle");
import { OUTPUT_ONLY_KEYS, type ConnectionInputs, type ConnectionState } from "./model";

/** Every value of T, at every depth, may be a pulumi.Input. */
type Inputs<T> = { [K in keyof T]: pulumi.Input<NonNullable<T[K]> extends object ? Inputs<NonNullable<T[K]>> : T[K]> };

/** The connection's inputs (model.ts), each one a pulumi.Input. Exactly one of aws, azure, gcp. */
export interface PrivateLinkAttachmentConnectionArgs extends Inputs<ConnectionInputs> {}

type Out<K extends keyof ConnectionState> = pulumi.Output<ConnectionState[K]>;

const MODULE = "confluentcloud";
const NAME = "PrivateLinkAttachmentConnection";
/** The type token dynamic.Resource gives it. */
const TYPE = `pulumi-nodejs:dynamic/${MODULE}:${NAME}`;

/** Output-only properties, declared as undefined inputs so that the SDK makes them Outputs of the resource. */
const OUTPUT_PLACEHOLDERS = Object.fromEntries(OUTPUT_ONLY_KEYS.map((key) => [key, undefined]));

export class PrivateLinkAttachmentConnection extends pulumi.dynamic.Resource {
  declare readonly displayName: Out<"displayName">;
  declare readonly environment: Out<"environment">;
  declare readonly privateLinkAttachment: Out<"privateLinkAttachment">;
  declare readonly aws: Out<"aws">;
  declare readonly azure: Out<"azure">;
  declare readonly gcp: Out<"gcp">;
  /** metadata.resource_name (CRN). */
  declare readonly resourceName: Out<"resourceName">;
  /** status.phase verbatim: PROVISIONING, READY, FAILED, DEPROVISIONING, DISCONNECTED or a future value. */
  declare readonly phase: Out<"phase">;
  declare readonly errorCode: Out<"errorCode">;
  declare readonly errorMessage: Out<"errorMessage">;
  /** status.cloud in camelCase without `kind`, e.g. {vpcEndpointId, vpcEndpointServiceName}. */
  declare readonly cloudStatus: Out<"cloudStatus">;
  declare readonly createdAt: Out<"createdAt">;
  declare readonly updatedAt: Out<"updatedAt">;

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
