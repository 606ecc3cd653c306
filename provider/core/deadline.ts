// When one provider operation must be over, for its waits and its HTTP requests alike.
//
// The two measure time differently: a wait sleeps and reads the time on the operation's clock (a test's steps only
// by its own sleeps, a benchmark's runs faster), while requests are aborted in real time. So a deadline is an instant
// on its clock plus a real-time timer for the same duration: `signal`.
import { systemClock, type Clock } from "./clock";

export class Deadline {
  /** The instant, in the time of `clock`. */
  readonly at: number;
  readonly clock: Clock;
  /** Aborts when the same duration has passed in real time. */
  readonly signal: AbortSignal;
  /** The real-time instant `signal`'s timer fires at. */
  private readonly realAt: number;

  private constructor(at: number, clock: Clock, realAt: number, signal: AbortSignal) {
    this.at = at;
    this.clock = clock;
    this.realAt = realAt;
    this.signal = signal;
  }

  static after(ms: number, clock: Clock = systemClock): Deadline {
    return new Deadline(clock.now() + ms, clock, Date.now() + ms, AbortSignal.timeout(Math.max(0, ms)));
  }

  /** On the clock. */
  remainingMs(now = this.clock.now()): number {
    return this.at - now;
  }

  /** On the clock. */
  passed(now = this.clock.now()): boolean {
    return now >= this.at;
  }

  /** In real time: whether the deadline comes before something that starts `ms` from now (0: whether it has come). */
  arrivesWithin(ms: number): boolean {
    return Date.now() + ms >= this.realAt;
  }
}
