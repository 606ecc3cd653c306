// The emulator's own view of a private link attachment for test control: its record, its clock, its connections
// and the body a GET answers.
import { expiryOf, type AttachmentRecord } from "./attachment-state";
import type { AttachmentSeed } from "./options";
import { renderAttachment, type RenderContext } from "./wire";

export interface AttachmentView extends AttachmentSeed {
  phase: string;
  createdAt: string;
  /** When it turns (or turned) WAITING_FOR_CONNECTIONS on its own; null while held in PROVISIONING. */
  provisionedAt: string | null;
  provisionedAtMs: number | null;
  /** When it turns EXPIRED without a connection; null when it cannot (seeded, held, or it has had a connection). */
  expiresAt: string | null;
  held: boolean;
  seeded: boolean;
  forcedPhase?: string;
  deletedAt?: string;
  /** Its connections that still exist (DEPROVISIONING included), in creation order. */
  connectionIds: string[];
  /** The body a GET would answer with now. */
  body: Record<string, unknown>;
}

/** The fields an attachment is seeded with (what info() lists). */
export function seedOf(a: AttachmentRecord): AttachmentSeed {
  const { id, environmentId, cloud, region, displayName } = a;
  return { id, environmentId, cloud, region, ...(displayName !== undefined ? { displayName } : {}) };
}

export function attachmentView(ctx: RenderContext, a: AttachmentRecord): AttachmentView {
  const { world } = ctx;
  const expiry = a.forced || a.deletedAt !== undefined ? undefined : expiryOf(a, world.attachmentTiming);
  const view: AttachmentView = {
    ...seedOf(a),
    phase: world.attachmentPhaseOf(a),
    createdAt: new Date(a.createdAt).toISOString(),
    provisionedAt: a.held ? null : new Date(a.provisionedAt).toISOString(),
    provisionedAtMs: a.held ? null : a.provisionedAt,
    expiresAt: expiry === undefined ? null : new Date(expiry).toISOString(),
    held: a.held,
    seeded: a.seeded,
    connectionIds: world.connectionsOf(a.id).map((c) => c.id),
    body: renderAttachment(ctx, a),
  };
  if (a.forced) view.forcedPhase = a.forced.phase;
  if (a.deletedAt !== undefined) view.deletedAt = new Date(a.deletedAt).toISOString();
  return view;
}
