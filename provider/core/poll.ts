// The one poll loop of every wait, for every kind: a wait is declared as a phase table (what ends it, what keeps it
// polling, what fails it: the kind's waits are such tables) and this loop reads until the table says it is over.
// Adaptive polling: quick first polls, then an interval that grows with the time already waited, so a short
// provision is noticed within about a second and a long one is not hammered; every wait is bounded by a deadline
// and reports progress.
import type { Deadline } from "./deadline";

/** What a wait reads of a resource: its phase, and the error its status gives. */
export interface Phased {
  phase: string;
  errorCode?: string;
  errorMessage?: string;
}

/** "errorCode: errorMessage" of a resource's status, whichever of them it has. */
export function statusError(state: Pick<Phased, "errorCode" | "errorMessage">): string | undefined {
  const parts = [state.errorCode, state.errorMessage].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(": ") : undefined;
}

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
 * time waited) up to 12 s. Chosen with bench/ against Terraform's 5 s + every 60 s: READY is noticed sooner on
 * average over provisions of 10 s to 10 min (docs/benchmarks.md has the ratio), with fewer than T/10 + 10 GETs for
 * a provision of T s.
 */
export const DEFAULT_POLL_POLICY: PollPolicy = { firstMs: 1000, fastUntilMs: 3000, minMs: 3500, ratio: 0.18, maxMs: 12_000 };

export function nextPollDelayMs(elapsedMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  if (elapsedMs <= 0 || elapsedMs < (policy.fastUntilMs ?? 0)) return policy.firstMs;
  return Math.min(policy.maxMs, Math.max(policy.minMs, Math.round(policy.ratio * elapsedMs)));
}

export type WaitFailure = "failed" | "deadline" | "unexpected-phase" | "gone";

export class WaitError extends Error {
  constructor(
    readonly reason: WaitFailure,
    message: string,
    readonly id: string,
    /** The resource as last seen, when it still exists. */
    readonly state?: Phased,
  ) {
    super(message);
    this.name = "WaitError";
  }
}

export interface WaitArgs<S extends Phased = Phased> {
  /** One read of the resource; errors carry the HTTP `status` they failed with, if any. */
  read(): Promise<S>;
  id: string;
  /** When the wait gives up; it sleeps and reads the time on the deadline's clock. */
  deadline: Deadline;
  /** What the deadline comes from, for messages (e.g. `timeouts.create = 2h`). */
  deadlineSource: string;
  /** The operation the wait is part of, opening every error message (e.g. "create private link attachment connection"). */
  operation?: string;
  policy?: PollPolicy;
  /** Each progress line, and whether it reports a phase not reported before. */
  log?: (line: string, changed: boolean) => void;
  /** Minimum spacing of progress lines that report no change. */
  progressEveryMs?: number;
  /**
   * Whether a failed read means the resource is gone (default: a 404). The provider's also confirms a 403 by
   * listing (gone.ts); it may throw an error of its own.
   */
  isGone?: (error: unknown) => Promise<boolean>;
}

export interface WaitResult<S extends Phased = Phased> {
  state: S;
  polls: number;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** The answer that said the resource is gone: its status and X-Request-Id. */
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
 * reporting anything about the resource. An HTTP answer (e.g. 403) is never mistaken for it.
 */
function isDeadlineFailure(error: unknown, deadline: Deadline): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "DEADLINE_EXCEEDED" || (deadline.passed() && statusOf(error) === undefined);
}

/**
 * What one wait waits for, in the manner of Terraform's StateChangeConf: the phases that end it, the phases that keep
 * it polling, and what anything else means. The schedule, the deadline and the progress lines are the poll loop's.
 */
export interface WaitTable {
  /** What ends the wait: one of these phases, or the resource being gone. */
  target: readonly string[] | "gone";
  /** Phases that keep it polling; "any": every phase. */
  pending: readonly string[] | "any";
  /**
   * Phases that end it with a "failed" WaitError. Any other phase ends it as "unexpected-phase", and the resource
   * being gone (unless that is the target) as "gone": it was deleted outside this program.
   */
  failed: readonly string[];
  /** Progress line for a phase seen after `elapsedMs`. */
  progress(phase: string, elapsedMs: number, leftMs: number): string;
  /** Message of the deadline error. */
  overdue(elapsedMs: number, lastPhase: string | undefined): string;
}

/** What a read saw: the resource's state, or the answer that said it is gone. */
type Seen<S extends Phased> = { state: S } | { gone: GoneAnswer };

/** True when the wait is over, false to keep polling; the message and state of a WaitError that ends it otherwise. */
function judge<S extends Phased>(table: WaitTable, seen: Seen<S>, args: WaitArgs<S>): boolean | { reason: WaitFailure; message: string; state?: S } {
  const wanted = table.target === "gone" ? "gone" : table.target.join(" or ");
  if ("gone" in seen) {
    if (table.target === "gone") return true;
    const how = seen.gone.status === 403 ? "403, and not listed in its environment" : "404";
    const rid = seen.gone.requestId ? `; request id ${seen.gone.requestId}` : "";
    return { reason: "gone", message: `${args.id} disappeared (${how}${rid}) while waiting for ${wanted}: it was deleted outside this program` };
  }
  const { state } = seen;
  if (table.target !== "gone" && table.target.includes(state.phase)) return true;
  if (table.pending === "any" || table.pending.includes(state.phase)) return false;
  if (table.failed.includes(state.phase)) {
    return { reason: "failed", message: `${args.id} ${state.phase}${describeError(state)} (while waiting for ${wanted}, ${args.deadlineSource})`, state };
  }
  return { reason: "unexpected-phase", message: `${args.id} went to ${state.phase} instead of ${wanted}${describeError(state)} (${args.deadlineSource})`, state };
}

/** Reads until the table says the wait is over; returns the resource as last seen (none once it is gone). */
export async function poll<S extends Phased>(args: WaitArgs<S>, table: WaitTable): Promise<{ state?: S; polls: number }> {
  const { deadline } = args;
  const clock = deadline.clock;
  const start = clock.now();
  let polls = 0;
  // Kept so a deadline error records what is known of the resource (an init error stores it).
  let last: S | undefined;
  let reported: string | undefined;
  let lastLine = start;
  const opening = args.operation ? `${args.operation}: ` : "";
  const overdue = (at: number, cause?: string): WaitError =>
    new WaitError("deadline", `${opening}${table.overdue(at - start, last?.phase)}${cause ? `; last read: ${cause}` : ""}`, args.id, last);
  for (;;) {
    const now = clock.now();
    if (deadline.passed(now)) throw overdue(now);
    await clock.sleep(Math.min(nextPollDelayMs(now - start, args.policy), deadline.remainingMs(now)));
    let seen: Seen<S>;
    try {
      polls++;
      seen = { state: await args.read() };
    } catch (e) {
      if (isDeadlineFailure(e, deadline)) throw overdue(clock.now(), (e as Error)?.message);
      if (!(args.isGone ? await args.isGone(e) : statusOf(e) === 404)) throw e;
      seen = { gone: goneAnswerOf(e) };
    }
    if ("state" in seen) {
      const at = clock.now();
      // The first answer, every change, and every progressEveryMs.
      if (seen.state.phase !== reported || at - lastLine >= (args.progressEveryMs ?? 30_000)) {
        args.log?.(table.progress(seen.state.phase, at - start, deadline.remainingMs(at)), seen.state.phase !== reported);
        lastLine = at;
        reported = seen.state.phase;
      }
      last = seen.state;
    }
    const verdict = judge(table, seen, args);
    if (verdict === true) return { state: "state" in seen ? seen.state : undefined, polls };
    if (verdict !== false) throw new WaitError(verdict.reason, `${opening}${verdict.message}`, args.id, verdict.state);
  }
}

function describeError(state: Phased): string {
  const error = statusError(state);
  return error ? `: ${error}` : "";
}

/** The wait after a delete, the same for every kind: until reads say it is gone; any phase (DEPROVISIONING typically) meanwhile. */
export function goneTable(args: Pick<WaitArgs, "id" | "deadlineSource">): WaitTable {
  return {
    target: "gone",
    pending: "any",
    failed: [],
    progress: (phase, elapsed, left) => `${args.id}: ${phase} ${formatDuration(elapsed)} after delete (gives up in ${formatDuration(left)}, ${args.deadlineSource})`,
    overdue: (elapsed, lastPhase) => `${args.id} still exists (${lastPhase ?? "DEPROVISIONING"}) ${formatDuration(elapsed)} after its deletion was accepted: ${args.deadlineSource} passed`,
  };
}
