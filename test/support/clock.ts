// Controlled time for tests that must show when something happens without a stopwatch.
import type { Clock } from "../../provider/core/clock";

/** The provider's clock, stepped by its own sleeps: a wait of 10 minutes takes no real time and ends exactly on time. */
export class SteppingClock implements Clock {
  private ms: number;
  readonly sleeps: number[] = [];

  constructor(private readonly start = Date.parse("2026-01-01T00:00:00Z")) {
    this.ms = start;
  }

  now(): number {
    return this.ms;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.ms += Math.max(0, ms);
  }

  elapsed(): number {
    return this.ms - this.start;
  }
}

/**
 * Whether `promise` settles within `turns` turns of the event loop: for a call that can only end through an event
 * the test fired (an abort), while every timer that could end it otherwise is the test's and never runs. Counts
 * turns, not milliseconds, so a slow machine cannot fail it and a call that waits for a timer cannot pass it.
 */
export async function settlesWithin(promise: Promise<unknown>, turns = 100): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < turns && !settled; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

/** Resolves once `signal` has aborted. */
export function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
