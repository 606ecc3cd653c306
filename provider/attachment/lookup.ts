// Reading attachments without managing them: by id, or every attachment of an environment. Credentials as the
// connection's lookups: the given config, else in a program the stack's config, then the environment.
import { describeValue } from "../core/checks";
import { connect } from "../core/credentials/connect";
import type { ConfigSource } from "../core/credentials/credentials";
import { programStackConfig } from "../core/credentials/stack-config";
import { Deadline } from "../core/deadline";
import { restated, type ApiError } from "../core/transport/api-error";
import { attachmentClient, type AttachmentClient } from "./client";
import { attachmentGone } from "./gone";
import type { Attachment, AttachmentState } from "./model";

export interface AttachmentLookupOptions {
  /** Same keys as the stack config (`confluentcloud:cloudApiKey`, …), used instead of it. */
  config?: ConfigSource;
  /** Overall time limit (default 5 minutes). */
  timeoutMs?: number;
}

export type AttachmentInfo = AttachmentState & { id: string };

/** An attachment by id, pulumi-confluentcloud's form (`environment: { id }`) or `environmentId`. */
export type GetAttachmentArgs = { id: string; environment: { id: string } } | { id: string; environmentId: string };

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

function clientFor(opts: AttachmentLookupOptions = {}): AttachmentClient {
  return attachmentClient(connect(opts.config ?? programStackConfig(), Deadline.after(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)));
}

function info({ id, state }: Attachment): AttachmentInfo {
  return { id, ...state };
}

function environmentOf(args: GetAttachmentArgs): string {
  const byName = (args as { environmentId?: unknown }).environmentId;
  const byRef = (args as { environment?: { id?: unknown } }).environment?.id;
  const id = byName ?? byRef;
  if (typeof id !== "string" || id === "" || (byName !== undefined && byRef !== undefined && byName !== byRef)) {
    throw new Error(`get private link attachment ${describeValue(args?.id)}: the environment is ${describeValue(id)}; pass environment: { id: "env-…" }`);
  }
  return id;
}

/** The attachment by id; an error when it does not exist (a 404, or a 403 for an id its environment does not list). */
export async function getPrivateLinkAttachment(args: GetAttachmentArgs, opts?: AttachmentLookupOptions): Promise<AttachmentInfo> {
  const environmentId = environmentOf(args);
  const api = clientFor(opts);
  try {
    return info(await api.getAttachment(args.id, environmentId));
  } catch (e) {
    if ((e as { status?: unknown })?.status === 403 && (await attachmentGone(api, args.id, environmentId)(e))) {
      throw restated(e as ApiError, `${args.id} is not among the private link attachments of ${environmentId}: it does not exist`);
    }
    throw e;
  }
}

/** Every attachment of the environment, following every page. */
export async function listPrivateLinkAttachments(args: { environmentId: string }, opts?: AttachmentLookupOptions): Promise<AttachmentInfo[]> {
  return (await clientFor(opts).listAttachments(args.environmentId)).map(info);
}
