// A private link attachment in the emulator's world, and its lifecycle on the clock: PROVISIONING →
// WAITING_FOR_CONNECTIONS → READY while one of its connections is READY; EXPIRED when it waited too long for its
// first connection; DEPROVISIONING once deleted, then gone.
import type { AttachmentSeed, AttachmentTiming } from "./options";

export interface AttachmentRecord extends AttachmentSeed {
  seq: number;
  createdAt: number;
  updatedAt: number;
  /** When Confluent's side is (or was) set up: PROVISIONING ends, status.cloud and dns_domain are filled. */
  provisionedAt: number;
  held: boolean;
  /** Seeded (options, control, a seeded connection body): provisioned from the start and never EXPIRED by the clock. */
  seeded: boolean;
  forced?: { phase: string; errorCode?: string; errorMessage?: string };
  deletedAt?: number;
  /** When its first connection was made, if ever (an attachment with one never expires). */
  firstConnectionAt?: number;
}

/** Whether Confluent's side of the attachment exists, so status.cloud and dns_domain can be shown. */
export function isAttachmentProvisioned(a: AttachmentRecord, now: number): boolean {
  return !a.held && now >= a.provisionedAt;
}

/** When an attachment made through the API turns EXPIRED without a connection; undefined when it cannot. */
export function expiryOf(a: AttachmentRecord, timing: AttachmentTiming): number | undefined {
  if (a.seeded || a.held) return undefined;
  const at = a.provisionedAt + timing.expiryMs;
  return a.firstConnectionAt !== undefined && a.firstConnectionAt < at ? undefined : at;
}

/** The phase now, given the phases of its connections that still exist. */
export function attachmentPhase(a: AttachmentRecord, now: number, timing: AttachmentTiming, connectionPhases: string[]): string {
  if (a.deletedAt !== undefined) return "DEPROVISIONING";
  if (a.forced) return a.forced.phase;
  if (!isAttachmentProvisioned(a, now)) return "PROVISIONING";
  const expiry = expiryOf(a, timing);
  if (expiry !== undefined && now >= expiry) return "EXPIRED";
  return connectionPhases.includes("READY") ? "READY" : "WAITING_FOR_CONNECTIONS";
}

/** Phases in which an attachment takes no new connection. */
export const CLOSED_PHASES = new Set(["PROVISIONING", "FAILED", "EXPIRED", "DEPROVISIONING"]);
