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
  /** The operation the wait is part of, opening every error message (e.g. "create private link attachment connection"). */
  operation?: string;
  clock?: Clock;
  policy?: PollPolicy;
  /** Each progress line, and whether it reports a phase not reported before. */
  log?: (line: string, changed: boolean) => void;
  /** Minimum spacing of progress lines that report no change. */
  progressEveryMs?: number;
  /**
   * Whether a failed read means the connection is gone (default: a 404). The provider's also confirms a 403 by
   * listing (gone.ts); it may throw an error of its own.
   */
  isGone?: (error: unknown) => Promise<boolean>;
}

export interface WaitResult {
  state: ConnectionState;
  polls: number;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** The answer that said the connection is gone: its status and X-Request-Id. */
interface GoneAnswer {
  status?: number;
  requestId?: string;
}

function goneAnswerOf(error: unknown): GoneAnswer {
  const requestId = (error as { requestId?: unknown } | null)?.requestId;
  return { status: statusOf(error), requestId: typeof requestId === "string" ? requestId : undefined };
}

export function formatDuration(ms: number): string {
  // A sub-second timeout ("800ms") is reported in its own unit, not rounded to "0s" or "1s".
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
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

/** What one wait makes of what it sees; everything else (schedule, deadline, progress) is shared. */
interface WaitKind<R> {
  /** Progress line for a phase seen after `elapsedMs`. */
  progress(phase: string, elapsedMs: number, leftMs: number): string;
  /** Message of the deadline error. */
  overdue(elapsedMs: number, lastPhase: string | undefined): string;
  /**
   * The wait's result for what a read saw ("gone", with the answer that said so), undefined to keep polling, or a
   * thrown WaitError.
   */
  settle(seen: ConnectionState | "gone", polls: number, gone?: GoneAnswer): R | undefined;
}

async function poll<R>(args: WaitArgs, kind: WaitKind<R>): Promise<R> {
  const clock = args.clock ?? systemClock;
  const start = clock.now();
  let polls = 0;
  // Kept so a deadline error records what is known of the connection (an init error stores it).
  let last: ConnectionState | undefined;
  let reported: string | undefined;
  let lastLine = start;
  const opening = args.operation ? `${args.operation}: ` : "";
  const overdue = (at: number, cause?: string): WaitError =>
    new WaitError("deadline", `${opening}${kind.overdue(at - start, last?.phase)}${cause ? `; last read: ${cause}` : ""}`, args.id, last);
  for (;;) {
    const now = clock.now();
    if (now >= args.deadline) throw overdue(now);
    await clock.sleep(Math.min(nextPollDelayMs(now - start, args.policy), args.deadline - now));
    let seen: ConnectionState | "gone";
    let gone: GoneAnswer | undefined;
    try {
      polls++;
      seen = connectionFromWire(await args.reader.getConnection(args.id, args.environmentId)).state;
    } catch (e) {
      if (isDeadlineFailure(e, clock, args.deadline)) throw overdue(clock.now(), (e as Error)?.message);
      if (!(args.isGone ? await args.isGone(e) : statusOf(e) === 404)) throw e;
      seen = "gone";
      gone = goneAnswerOf(e);
    }
    if (seen !== "gone") {
      const at = clock.now();
      // The first answer, every change, and every progressEveryMs.
      if (seen.phase !== reported || at - lastLine >= (args.progressEveryMs ?? 30_000)) {
        args.log?.(kind.progress(seen.phase, at - start, args.deadline - at), seen.phase !== reported);
        lastLine = at;
        reported = seen.phase;
      }
      last = seen;
    }
    let result: R | undefined;
    try {
      result = kind.settle(seen, polls, gone);
    } catch (e) {
      if (e instanceof WaitError && opening) throw new WaitError(e.reason, `${opening}${e.message}`, e.id, e.state);
      throw e;
    }
    if (result !== undefined) return result;
  }
}

/** Polls until the connection is READY. FAILED, any phase other than PROVISIONING, a 404 or the deadline end it with a WaitError. */
export function waitForReady(args: WaitArgs): Promise<WaitResult> {
  return poll<WaitResult>(args, {
    progress: (phase, elapsed, left) => `${args.id}: ${phase} after ${formatDuration(elapsed)} (gives up in ${formatDuration(left)}, ${args.deadlineSource})`,
    overdue: (elapsed, lastPhase) => `${args.id} is not READY after ${formatDuration(elapsed)}: ${args.deadlineSource} passed (last phase ${lastPhase ?? "unknown"})`,
    settle: (seen, polls, gone) => {
      if (seen === "gone") {
        const how = gone?.status === 403 ? "403, and not listed in its environment" : "404";
        const rid = gone?.requestId ? `; request id ${gone.requestId}` : "";
        throw new WaitError("gone", `${args.id} disappeared (${how}${rid}) while waiting for READY: it was deleted outside this program`, args.id);
      }
      switch (seen.phase) {
        case "READY":
          return { state: seen, polls };
        case "PROVISIONING":
          return undefined;
        case "FAILED":
          throw new WaitError("failed", `${args.id} FAILED${describeError(seen)} (while waiting for READY, ${args.deadlineSource})`, args.id, seen);
        default:
          throw new WaitError("unexpected-phase", `${args.id} went to ${seen.phase} instead of READY${describeError(seen)} (${args.deadlineSource})`, args.id, seen);
      }
    },
  });
}

/** Polls until reads say the connection is gone (404, or what `isGone` confirms); any phase (DEPROVISIONING typically) is tolerated until the deadline. */
export function waitForGone(args: WaitArgs): Promise<{ polls: number }> {
  return poll<{ polls: number }>(args, {
    progress: (phase, elapsed, left) => `${args.id}: ${phase} ${formatDuration(elapsed)} after delete (gives up in ${formatDuration(left)}, ${args.deadlineSource})`,
    overdue: (elapsed, lastPhase) => `${args.id} still exists (${lastPhase ?? "DEPROVISIONING"}) ${formatDuration(elapsed)} after its deletion was accepted: ${args.deadlineSource} passed`,
    settle: (seen, polls) => (seen === "gone" ? { polls } : undefined),
  });
}

function describeError(state: ConnectionState): string {
  const parts = [state.errorCode, state.errorMessage].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? `: ${parts.join(": ")}` : "";
}
