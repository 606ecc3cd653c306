// The attachment's API: the five operations on /networking/v1/private-link-attachments, answers read into typed
// attachments (model.ts), over the core's transport.
import { requireId, resourceClient } from "../core/transport/client";
import type { Transport } from "../core/transport/request";
import { attachmentFromWire, type Attachment, type WireAttachmentCreate, type WireAttachmentUpdate } from "./model";

const ATTACHMENTS_COLLECTION = "/networking/v1/private-link-attachments";

export interface AttachmentClient {
  /** Every attachment of the environment, following every page. */
  listAttachments(environmentId: string): Promise<Attachment[]>;
  getAttachment(id: string, environmentId: string): Promise<Attachment>;
  createAttachment(body: WireAttachmentCreate): Promise<Attachment>;
  updateAttachment(id: string, body: WireAttachmentUpdate): Promise<Attachment>;
  deleteAttachment(id: string, environmentId: string): Promise<void>;
}

export function attachmentClient(transport: Transport): AttachmentClient {
  const api = resourceClient(transport, { noun: "private link attachment", word: "attachment", collection: ATTACHMENTS_COLLECTION, read: attachmentFromWire });
  return {
    async listAttachments(environmentId) {
      requireId("environmentId", environmentId);
      return api.list({ environment: environmentId }, environmentId);
    },
    async getAttachment(id, environmentId) {
      requireId("attachment id", id);
      requireId("environmentId", environmentId);
      return api.get(id, environmentId);
    },
    async createAttachment(body) {
      const name = body?.spec?.display_name ? `"${body.spec.display_name}", ` : "";
      const subject = `${name}${body?.spec?.cloud ?? "unknown cloud"} ${body?.spec?.region ?? "unknown region"} in ${body?.spec?.environment?.id ?? "unknown environment"}`;
      return (await api.create(body, subject)).item;
    },
    async updateAttachment(id, body) {
      requireId("attachment id", id);
      return api.update(id, body, `${id} in ${body?.spec?.environment?.id ?? "unknown environment"}`);
    },
    async deleteAttachment(id, environmentId) {
      requireId("attachment id", id);
      requireId("environmentId", environmentId);
      return api.remove(id, environmentId);
    },
  };
}
