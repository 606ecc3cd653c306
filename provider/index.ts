// Public exports of the package.
export { PrivateLinkAttachmentConnection, type PrivateLinkAttachmentConnectionArgs } from "./resource";
export { PrivateLinkAttachmentConnectionProvider, type ConnectionOutputs } from "./provider";
export {
  getPrivateLinkAttachmentConnection, listPrivateLinkAttachmentConnections, findPrivateLinkAttachmentConnectionByDisplayName,
  type ConnectionInfo, type LookupOptions,
} from "./lookup";
export { ApiError } from "./api-error";
export type { ConnectionState } from "./model";
