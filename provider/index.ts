// Public exports of the package. A program that only declares resources loads the resource class and what a
// preview runs; the provider class and the lookups (and the HTTP stack under them) load when first used.
import type * as Implementation from "./provider";
import type * as Lookup from "./lookup";

export { PrivateLinkAttachmentConnection, type PrivateLinkAttachmentConnectionArgs } from "./resource";
export { ApiError } from "./http/api-error";
export type { ConnectionState } from "./model";
export type { ConnectionOutputs } from "./provider";
export type { ConnectionInfo, LookupOptions } from "./lookup";

export type PrivateLinkAttachmentConnectionProvider = Implementation.PrivateLinkAttachmentConnectionProvider;
export declare const PrivateLinkAttachmentConnectionProvider: typeof Implementation.PrivateLinkAttachmentConnectionProvider;
Object.defineProperty(exports, "PrivateLinkAttachmentConnectionProvider", {
  enumerable: true,
  get: () => (require("./provider") as typeof Implementation).PrivateLinkAttachmentConnectionProvider,
});

function lookup(): typeof Lookup {
  return require("./lookup") as typeof Lookup;
}

/** The connection by id; an error when it does not exist (a 404, or a 403 for an id its environment does not list). */
export function getPrivateLinkAttachmentConnection(...args: Parameters<typeof Lookup.getPrivateLinkAttachmentConnection>): ReturnType<typeof Lookup.getPrivateLinkAttachmentConnection> {
  return lookup().getPrivateLinkAttachmentConnection(...args);
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
