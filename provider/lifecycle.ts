// Waits on a connection's lifecycle: until READY after a create, until 404 after a delete. Adaptive polling:
// quick first polls, then an interval that grows with the time already waited, so a short provision is noticed
// within about a second and a long one is not hammered; every wait is bounded by a deadline and reports progress.
import { repairError } from "./errors";
import { connectionFromWire, type ConnectionState } from "./model";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PollPolicy {
  /** Interval of the first polls, while less than `fastUntilMs` has been waited (and the first delay). */
  firstMs: number;
  /** How long the first, fast polls go on (default 0: only the first poll). */
  fastUntilMs?: number;
  /** After that, the interval never drops below this… */
  minMs: number;
  /** …is this fraction of the time waited so far, so a READY is noticed at most about ratio·T late… */
  ratio: number;
  /** …and never exceeds this. */
  maxMs: number;
}

/**
 * Polls at 1, 2 and 3 s (a short provision is noticed within a second), then every max(3.5 s, 18 % of the
 * time waited) up to 12 s. Chosen with bench/ against Terraform's 5 s + every 60 s: READY is noticed about 4×
 * sooner on average over provisions of 10 s to 10 min, with fewer than T/10 + 10 GETs for a provision of T s.
 */
export const DEFAULT_POLL_POLICY: PollPolicy = { firstMs: 1000, fastUntilMs: 3000, minMs: 3500, ratio: 0.18, maxMs: 12_000 };

export function nextPollDelayMs(elapsedMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  if (elapsedMs <= 0 || elapsedMs < (policy.fastUntilMs ?? 0)) return policy.firstMs;
  return Math.min(policy.maxMs, Math.max(policy.minMs, Math.round(policy.ratio * elapsedMs)));
}

/** What waits need from the API client. Errors carry the HTTP `status` they failed with, if any. */
export interface ConnectionReader {
  getConnection(id: string, environmentId: string): Promise<unknown>;
}

export type WaitFailure = "failed" | "deadline" | "unexpected-phase" | "gone";

export class WaitError extends Error {
  constructor(
    readonly reason: WaitFailure,
    message: string,
    readonly id: string,
    /** The connection as last seen, when it still exists. */
    readonly state?: ConnectionState,
  ) {
    super(message);
    this.name = "WaitError";
    repairError(this, message);
  }
}

export interface WaitArgs {
  reader: ConnectionReader;
  id: string;
  environmentId: string;
  /** Epoch ms after which the wait gives up. */
  deadline: number;
  /** What the deadline comes from, for messages (e.g. `timeouts.create = 2h`). */
  deadlineSource: string;
  clock?: Clock;
  policy?: PollPolicy;
  log?: (line: string) => void;
  /** Minimum spacing of progress lines that report no change. */
  progressEveryMs?: number;
}

export interface WaitResult {
  state: ConnectionState;
  polls: number;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/**
 * True when a failed read is only the deadline arriving: the API client shares the wait's deadline, so the poll
 * that starts when the deadline is reached fails with the client's DEADLINE_EXCEEDED (or is aborted) instead of
 * reporting anything about the connection. An HTTP answer (e.g. 403) is never mistaken for it.
 */
function isDeadlineFailure(error: unknown, clock: Clock, deadline: number): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "DEADLINE_EXCEEDED" || (clock.now() >= deadline && statusOf(error) === undefined);
}

/** Polls until the connection is READY. FAILED, any phase other than PROVISIONING, a 404 or the deadline end it with a WaitError. */
export async function waitForReady(args: WaitArgs): Promise<WaitResult> {
  const clock = args.clock ?? systemClock;
  const start = clock.now();
  let polls = 0;
  let lastPhase: string | undefined;
  let last: ConnectionState | undefined;
  let lastLine = start;
  const progress = (phase: string, now: number) => {
    if (phase !== lastPhase || now - lastLine >= (args.progressEveryMs ?? 30_000)) {
      args.log?.(`${args.id}: ${phase} after ${formatDuration(now - start)} (gives up in ${formatDuration(args.deadline - now)}, ${args.deadlineSource})`);
      lastLine = now;
    }
    lastPhase = phase;
  };
  // Keeps the connection as last seen, so an init error records what is known of it.
  const overdue = (at: number, cause?: string): WaitError =>
    new WaitError(
      "deadline",
      `${args.id} is not READY after ${formatDuration(at - start)}: ${args.deadlineSource} passed (last phase ${lastPhase ?? "unknown"})${cause ? `; last read: ${cause}` : ""}`,
      args.id,
      last,
    );
  for (;;) {
    const now = clock.now();
    if (now >= args.deadline) throw overdue(now);
    await clock.sleep(Math.min(nextPollDelayMs(now - start, args.policy), args.deadline - now));
    let body: unknown;
    try {
      polls++;
      body = await args.reader.getConnection(args.id, args.environmentId);
    } catch (e) {
      if (statusOf(e) === 404) throw new WaitError("gone", `${args.id} disappeared (404) while waiting for READY: it was deleted outside this program`, args.id);
      if (isDeadlineFailure(e, clock, args.deadline)) throw overdue(clock.now(), (e as Error)?.message);
      throw e;
    }
    const { state } = connectionFromWire(body);
    last = state;
    const at = clock.now();
    progress(state.phase, at);
    switch (state.phase) {
      case "READY":
        return { state, polls };
      case "PROVISIONING":
        if (at >= args.deadline) {
          throw new WaitError("deadline", `${args.id} is still PROVISIONING after ${formatDuration(at - start)}: ${args.deadlineSource} passed`, args.id, state);
        }
        continue;
      case "FAILED":
        throw new WaitError("failed", `${args.id} FAILED${describeError(state)}`, args.id, state);
      default:
        throw new WaitError("unexpected-phase", `${args.id} went to ${state.phase} instead of READY${describeError(state)}`, args.id, state);
    }
  }
}

/** Polls until reads answer 404; any phase (DEPROVISIONING typically) is tolerated until the deadline. */
export async function waitForGone(args: WaitArgs): Promise<{ polls: number }> {
  const clock = args.clock ?? systemClock;
  const start = clock.now();
  let polls = 0;
  let lastPhase = "DEPROVISIONING";
  // The first answer is always reported (like waitForReady does), then changes and every progressEveryMs.
  let reported: string | undefined;
  let lastLine = start;
  const overdue = (at: number, cause?: string): WaitError =>
    new WaitError(
      "deadline",
      `${args.id} still exists (${lastPhase}) ${formatDuration(at - start)} after its deletion was accepted: ${args.deadlineSource} passed${cause ? `; last read: ${cause}` : ""}`,
      args.id,
    );
  for (;;) {
    const now = clock.now();
    if (now >= args.deadline) throw overdue(now);
    await clock.sleep(Math.min(nextPollDelayMs(now - start, args.policy), args.deadline - now));
    try {
      polls++;
      const { state } = connectionFromWire(await args.reader.getConnection(args.id, args.environmentId));
      const at = clock.now();
      if (state.phase !== reported || at - lastLine >= (args.progressEveryMs ?? 30_000)) {
        args.log?.(`${args.id}: ${state.phase} ${formatDuration(at - start)} after delete (gives up in ${formatDuration(args.deadline - at)}, ${args.deadlineSource})`);
        lastLine = at;
        reported = state.phase;
      }
      lastPhase = state.phase;
    } catch (e) {
      if (statusOf(e) === 404) return { polls };
      if (isDeadlineFailure(e, clock, args.deadline)) throw overdue(clock.now(), (e as Error)?.message);
      throw e;
    }
  }
}

function describeError(state: ConnectionState): string {
  const parts = [state.errorCode, state.errorMessage].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? `: ${parts.join(": ")}` : "";
}
