// Public exports of the package. A program that only declares resources loads the resource class and what a
// preview runs; the provider class and the lookups (and the HTTP stack under them) load when first used.
import * as pulumi from "@pulumi/pulumi";
import type * as Implementation from "./connection/provider";
import type * as Lookup from "./connection/lookup";
import type * as AttachmentImplementation from "./attachment/provider";
import type * as AttachmentLookup from "./attachment/lookup";

export { PrivateLinkAttachmentConnection, type PrivateLinkAttachmentConnectionArgs, type PrivateLinkAttachmentConnectionState } from "./connection/resource";
export { ApiError } from "./core/transport/api-error";
export type { ConnectionState } from "./connection/model";
export type { ConnectionOutputs } from "./connection/provider";
export type { ConnectionInfo, GetConnectionArgs, LookupOptions } from "./connection/lookup";

export type PrivateLinkAttachmentConnectionProvider = Implementation.PrivateLinkAttachmentConnectionProvider;
export declare const PrivateLinkAttachmentConnectionProvider: typeof Implementation.PrivateLinkAttachmentConnectionProvider;
Object.defineProperty(exports, "PrivateLinkAttachmentConnectionProvider", {
  enumerable: true,
  get: () => (require("./connection/provider") as typeof Implementation).PrivateLinkAttachmentConnectionProvider,
});

function lookup(): typeof Lookup {
  return require("./connection/lookup") as typeof Lookup;
}

/**
 * The connection by id, its environment as `environmentId` or (pulumi-confluentcloud's form) `environment: { id }`; an
 * error when it does not exist (a 404, or a 403 for an id its environment does not list).
 */
export function getPrivateLinkAttachmentConnection(...args: Parameters<typeof Lookup.getPrivateLinkAttachmentConnection>): ReturnType<typeof Lookup.getPrivateLinkAttachmentConnection> {
  return lookup().getPrivateLinkAttachmentConnection(...args);
}

/** getPrivateLinkAttachmentConnectionOutput's arguments: those of getPrivateLinkAttachmentConnection, each an Input. */
export type GetPrivateLinkAttachmentConnectionOutputArgs =
  | { id: pulumi.Input<string>; environment: pulumi.Input<{ id: pulumi.Input<string> }> }
  | { id: pulumi.Input<string>; environmentId: pulumi.Input<string> };

/** getPrivateLinkAttachmentConnection with Inputs, as an Output: looked up once the arguments are known. */
export function getPrivateLinkAttachmentConnectionOutput(args: GetPrivateLinkAttachmentConnectionOutputArgs, opts?: Lookup.LookupOptions): pulumi.Output<Lookup.ConnectionInfo> {
  return pulumi.output(args as pulumi.Input<object>).apply((known) => lookup().getPrivateLinkAttachmentConnection(known as Lookup.GetConnectionArgs, opts));
}

/** Every connection of the environment (optionally of one attachment), following every page. */
export function listPrivateLinkAttachmentConnections(...args: Parameters<typeof Lookup.listPrivateLinkAttachmentConnections>): ReturnType<typeof Lookup.listPrivateLinkAttachmentConnections> {
  return lookup().listPrivateLinkAttachmentConnections(...args);
}

/** The connection with this display name; an error when none or several match. */
export function findPrivateLinkAttachmentConnectionByDisplayName(
  ...args: Parameters<typeof Lookup.findPrivateLinkAttachmentConnectionByDisplayName>
): ReturnType<typeof Lookup.findPrivateLinkAttachmentConnectionByDisplayName> {
  return lookup().findPrivateLinkAttachmentConnectionByDisplayName(...args);
}

// ---- the private link attachment ------------------------------------------------------------------------------

export { PrivateLinkAttachment, type PrivateLinkAttachmentArgs, type PrivateLinkAttachmentState } from "./attachment/resource";
export type { AttachmentState, AwsAttachmentStatus, AzureAttachmentStatus, GcpAttachmentStatus } from "./attachment/model";
export type { AttachmentInfo, AttachmentLookupOptions, GetAttachmentArgs } from "./attachment/lookup";

export type PrivateLinkAttachmentProvider = AttachmentImplementation.PrivateLinkAttachmentProvider;
export declare const PrivateLinkAttachmentProvider: typeof AttachmentImplementation.PrivateLinkAttachmentProvider;
Object.defineProperty(exports, "PrivateLinkAttachmentProvider", {
  enumerable: true,
  get: () => (require("./attachment/provider") as typeof AttachmentImplementation).PrivateLinkAttachmentProvider,
});

function attachmentLookup(): typeof AttachmentLookup {
  return require("./attachment/lookup") as typeof AttachmentLookup;
}

/** The attachment by id (`{ id, environment: { id } }`); an error when it does not exist. */
export function getPrivateLinkAttachment(...args: Parameters<typeof AttachmentLookup.getPrivateLinkAttachment>): ReturnType<typeof AttachmentLookup.getPrivateLinkAttachment> {
  return attachmentLookup().getPrivateLinkAttachment(...args);
}

/** getPrivateLinkAttachment's arguments, each an Input. */
export type GetPrivateLinkAttachmentOutputArgs =
  | { id: pulumi.Input<string>; environment: pulumi.Input<{ id: pulumi.Input<string> }> }
  | { id: pulumi.Input<string>; environmentId: pulumi.Input<string> };

/** getPrivateLinkAttachment with Inputs, as an Output: looked up once the arguments are known. */
export function getPrivateLinkAttachmentOutput(args: GetPrivateLinkAttachmentOutputArgs, opts?: AttachmentLookup.AttachmentLookupOptions): pulumi.Output<AttachmentLookup.AttachmentInfo> {
  return pulumi.output(args as pulumi.Input<object>).apply((known) => attachmentLookup().getPrivateLinkAttachment(known as AttachmentLookup.GetAttachmentArgs, opts));
}

/** Every attachment of the environment, following every page. */
export function listPrivateLinkAttachments(...args: Parameters<typeof AttachmentLookup.listPrivateLinkAttachments>): ReturnType<typeof AttachmentLookup.listPrivateLinkAttachments> {
  return attachmentLookup().listPrivateLinkAttachments(...args);
}
