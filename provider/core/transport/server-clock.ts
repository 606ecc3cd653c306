// What a client learns of the API server's clock from the `Date` header of its answers: enough to tell whether
// something the server stamped (a connection's metadata.created_at) can have happened after a request the client
// sent, whatever the two clocks say.
//
// An answer dated D (whole seconds, rounded down: RFC 9110 §6.6.1) was made before it arrived at the client's time
// R, so at R the server's clock read at least D: (server clock − client clock) ≥ D − R. The largest such bound of
// the answers seen so far is the lead. Something a request sent at the client's time S caused happened on the
// server at S + lead or later. The client's time is real time (not a test's or benchmark's clock): the server's
// clock runs in real time.
import { headerString } from "./retry";

/** Allowed between the server machine that dates an answer and the one that stamps what a request made. */
export const SERVER_SKEW_MS = 1000;
/** Allowed between the client's clock and the server's when no answer carried a `Date` header. */
export const UNKNOWN_SKEW_MS = 60_000;

/** Real time in ms since the epoch, never going backwards (a monotonic clock anchored at process start). */
function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}

export class ServerClock {
  /** Lower bound of (server clock − client clock), ms; undefined until an answer carried a `Date`. */
  private lead: number | undefined;

  constructor(private readonly now: () => number = monotonicNow) {}

  /** The client's time now: when a request is about to be sent, for earliestServerTime later. */
  mark(): number {
    return this.now();
  }

  /** Every answer's `Date` header, as it arrives. */
  observe(date: unknown): void {
    const text = headerString(date);
    const at = text === undefined ? Number.NaN : Date.parse(text);
    if (!Number.isFinite(at)) return;
    const lead = at - this.now();
    this.lead = this.lead === undefined ? lead : Math.max(this.lead, lead);
  }

  /** The earliest time, on the server's clock, at which a request sent at `sentAt` (a mark) can have been applied. */
  earliestServerTime(sentAt: number): number {
    return this.lead === undefined ? sentAt - UNKNOWN_SKEW_MS : sentAt + this.lead - SERVER_SKEW_MS;
  }
}
