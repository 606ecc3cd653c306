// The connection's waits, as phase tables for the core's poll loop (core/poll.ts): until READY after a create (FAILED
// fails it, any phase but PROVISIONING is unexpected), until gone after a delete (any phase meanwhile).
import { formatDuration, goneTable, poll, type WaitArgs, type WaitResult } from "../core/poll";
import type { Connection, ConnectionState } from "./model";

/** What waits need from the API client. Errors carry the HTTP `status` they failed with, if any. */
interface ConnectionReader {
  getConnection(id: string, environmentId: string): Promise<Connection>;
}

/** A wait on one connection: read through `reader` in its environment. */
export type ConnectionWaitArgs = Omit<WaitArgs<ConnectionState>, "read"> & { reader: ConnectionReader; environmentId: string };

function withRead(args: ConnectionWaitArgs): WaitArgs<ConnectionState> {
  return { ...args, read: async () => (await args.reader.getConnection(args.id, args.environmentId)).state };
}

/** Polls until the connection is READY. FAILED, any phase other than PROVISIONING, a 404 or the deadline end it with a WaitError. */
export async function waitForReady(args: ConnectionWaitArgs): Promise<WaitResult<ConnectionState>> {
  const { state, polls } = await poll(withRead(args), {
    target: ["READY"],
    pending: ["PROVISIONING"],
    failed: ["FAILED"],
    progress: (phase, elapsed, left) => `${args.id}: ${phase} after ${formatDuration(elapsed)} (gives up in ${formatDuration(left)}, ${args.deadlineSource})`,
    overdue: (elapsed, lastPhase) => `${args.id} is not READY after ${formatDuration(elapsed)}: ${args.deadlineSource} passed (last phase ${lastPhase ?? "unknown"})`,
  });
  return { state: state!, polls };
}

/** Polls until reads say the connection is gone (404, or what `isGone` confirms); any phase (DEPROVISIONING typically) is tolerated until the deadline. */
export async function waitForGone(args: ConnectionWaitArgs): Promise<{ polls: number }> {
  const { polls } = await poll(withRead(args), goneTable(args));
  return { polls };
}
