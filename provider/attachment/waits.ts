// The attachment's waits, as phase tables for the core's poll loop (core/poll.ts): after a create, until it serves
// connections (WAITING_FOR_CONNECTIONS, or READY once one is connected); FAILED and EXPIRED fail it, any phase but
// PROVISIONING is unexpected. After a delete, until it is gone (any phase meanwhile).
import { formatDuration, goneTable, poll, type WaitArgs, type WaitResult } from "../core/poll";
import type { AttachmentState } from "./model";

/** The phases an attachment serves connections in: what a create waits for. */
export const SERVING_PHASES = ["WAITING_FOR_CONNECTIONS", "READY"];

export async function waitForServing(args: WaitArgs<AttachmentState>): Promise<WaitResult<AttachmentState>> {
  const { state, polls } = await poll(args, {
    target: SERVING_PHASES,
    pending: ["PROVISIONING"],
    failed: ["FAILED", "EXPIRED"],
    progress: (phase, elapsed, left) => `${args.id}: ${phase} after ${formatDuration(elapsed)} (gives up in ${formatDuration(left)}, ${args.deadlineSource})`,
    overdue: (elapsed, lastPhase) =>
      `${args.id} is not WAITING_FOR_CONNECTIONS or READY after ${formatDuration(elapsed)}: ${args.deadlineSource} passed (last phase ${lastPhase ?? "unknown"})`,
  });
  return { state: state!, polls };
}

export async function waitForAttachmentGone(args: WaitArgs<AttachmentState>): Promise<{ polls: number }> {
  const { polls } = await poll(args, goneTable(args));
  return { polls };
}
