// The emulator's own view of a connection for test control: its record, its clock, and the body a GET answers.
import { endpointIdOf, type ConnectionRecord } from "./state";
import { renderConnection, type RenderContext } from "./wire";

export interface ConnectionView {
  id: string;
  environmentId: string;
  privateLinkAttachmentId: string;
  displayName?: string;
  cloud: string;
  endpointId: string;
  phase: string;
  createdAt: string;
  /** When the connection turns (or turned) READY on its own; null while held in PROVISIONING. */
  readyAt: string | null;
  readyAtMs: number | null;
  held: boolean;
  forcedPhase?: string;
  deletedAt?: string;
  /** The body a GET would answer with now. */
  body: Record<string, unknown>;
}

export function connectionView(ctx: RenderContext, c: ConnectionRecord): ConnectionView {
  const view: ConnectionView = {
    id: c.id,
    environmentId: c.environmentId,
    privateLinkAttachmentId: c.attachmentId,
    cloud: c.endpoint.cloud,
    endpointId: endpointIdOf(c.endpoint),
    phase: ctx.world.phaseOf(c),
    createdAt: new Date(c.createdAt).toISOString(),
    readyAt: c.held ? null : new Date(c.readyAt).toISOString(),
    readyAtMs: c.held ? null : c.readyAt,
    held: c.held,
    body: renderConnection(ctx, c),
  };
  if (c.displayName !== undefined) view.displayName = c.displayName;
  if (c.forced) view.forcedPhase = c.forced.phase;
  if (c.deletedAt !== undefined) view.deletedAt = new Date(c.deletedAt).toISOString();
  return view;
}
