// Whether a failed request on an attachment means it is gone: a 404, or a 403 its environment's list of
// attachments confirms (core/gone.ts).
import { isGone } from "../core/gone";
import type { AttachmentClient } from "./client";

export function attachmentGone(api: Pick<AttachmentClient, "listAttachments">, id: string, environmentId: string, log?: (line: string) => void): (error: unknown) => Promise<boolean> {
  return (error) => isGone(error, { id, scope: environmentId, listed: "private link attachments", list: () => api.listAttachments(environmentId), log });
}
