// Client-side pacing driven only by the server's rate-limit headers (Confluent publishes no fixed limits).
//
// States, decided afresh on every grant:
// - paused: a 429 said to wait (Retry-After / X-RateLimit-Reset, else a fallback); nobody is let through.
// - paced: the latest X-RateLimit-Remaining R and X-RateLimit-Reset S describe a window that has not ended;
//   the remaining budget (R minus requests still in flight) is spread evenly over what is left of it.
// - probing: no live window (none seen yet, or it ended): one request at a time until a response brings
//   fresh headers, so a burst of parallel creates never spends a budget nobody has measured. If the server
//   has answered but never sent rate-limit headers, up to `unknownConcurrency` requests run in parallel.
//   After a 429, one at a time until an answer other than 429 arrives: a 429 says the server is limiting, not
//   whether its answers carry rate-limit headers, so it only holds the throttle back until the server answers
//   normally again (with headers: paced from them; without: `unknownConcurrency` in parallel again).

import { headerString, serverDelayMs } from "./retry";

export type HeaderBag = Record<string, unknown>;

export interface ThrottleOptions {
  now?: () => number;
  /** Runs `fn` after `ms`; returns a cancel function. Injected by tests with a fake clock. */
  schedule?: (fn: () => void, ms: number) => () => void;
  /** In-flight cap once the server has answered without any rate-limit headers (default 8). */
  unknownConcurrency?: number;
  /** Pause after a 429 that names no delay at all (default 1000 ms). */
  fallbackPauseMs?: number;
}

interface Waiter {
  grant: () => void;
  stopListening: (() => void) | undefined;
}

function realSchedule(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("aborted");
}

export class Throttle {
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => () => void;
  private readonly unknownConcurrency: number;
  private readonly fallbackPauseMs: number;

  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private responses = 0;
  /** An answer other than a 429 carried X-RateLimit-Remaining and X-RateLimit-Reset. */
  private sawRateHeaders = false;
  /** A 429 came, and no request granted since has been answered otherwise: one at a time (after the pause). */
  private refused = false;
  /** Requests granted since the latest 429 (answers to earlier ones say nothing about the server now). */
  private grantsSinceRefusal = 0;
  private pausedUntil = 0;
  // Live window: `budget` more requests may start before `windowEnd`.
  private windowEnd = Number.NEGATIVE_INFINITY;
  private budget = 0;
  private lowestRemaining = Number.POSITIVE_INFINITY;
  private peakInFlight = 0;
  private lastGrantAt = Number.NEGATIVE_INFINITY;
  /** Set once the server said Reset: 0, i.e. it rounds down: its windows may end up to 1 s later than said. */
  private resetRoundsDown = false;
  private cancelTimer: (() => void) | undefined;

  constructor(options: ThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? realSchedule;
    this.unknownConcurrency = Math.max(1, options.unknownConcurrency ?? 8);
    this.fallbackPauseMs = options.fallbackPauseMs ?? 1000;
  }

  /** Resolves when this caller may send one request; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, stopListening: undefined };
      if (signal) {
        const onAbort = (): void => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(abortReason(signal));
          this.pump();
        };
        waiter.stopListening = () => signal.removeEventListener("abort", onAbort);
        signal.addEventListener("abort", onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** After every response (any status) to a request that acquired a slot: frees the slot and learns. */
  observe(headers: HeaderBag | undefined, status: number | undefined): void {
    this.finish();
    this.responses += 1;
    this.noteRefusal(status);
    if (headers) this.learn(headers, status);
    this.pump();
  }

  /** After an attempt that acquired a slot but got no response (network error, timeout, abort). */
  release(): void {
    this.finish();
    this.pump();
  }

  /** For diagnostics and tests. */
  snapshot(): { inFlight: number; queued: number; budget: number; windowEndsInMs: number; pausedForMs: number } {
    const now = this.now();
    return {
      inFlight: this.inFlight,
      queued: this.queue.length,
      budget: this.windowLive(now) ? this.budget : 0,
      windowEndsInMs: Math.max(0, this.windowEnd - now),
      pausedForMs: Math.max(0, this.pausedUntil - now),
    };
  }

  /**
   * A 429 holds the throttle to one request at a time; the answer (other than 429) to a request sent after it
   * releases it. While it holds, no request is granted before every earlier one has ended (the cap is 1), so that
   * request is alone and its answer speaks for the server as it is now.
   */
  private noteRefusal(status: number | undefined): void {
    if (status === 429) {
      this.refused = true;
      this.grantsSinceRefusal = 0;
    } else if (this.grantsSinceRefusal > 0) {
      this.refused = false;
    }
  }

  private finish(): void {
    if (this.inFlight > 0) this.inFlight -= 1;
  }

  private windowLive(now: number): boolean {
    return now < this.windowEnd;
  }

  private learn(headers: HeaderBag, status: number | undefined): void {
    const now = this.now();
    const remaining = Number(headerString(headers["x-ratelimit-remaining"]));
    const resetText = headerString(headers["x-ratelimit-reset"]);
    const retryAfterText = headerString(headers["retry-after"]);

    if (status === 429) {
      const pauseMs = serverDelayMs(retryAfterText, resetText, now) ?? this.fallbackPauseMs;
      this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
      // Nothing may start before the pause ends; afterwards probe for a fresh window.
      this.budget = 0;
      this.windowEnd = this.pausedUntil;
      this.lowestRemaining = 0;
      return;
    }

    const resetMs = serverDelayMs(undefined, resetText, now);
    if (!Number.isFinite(remaining) || remaining < 0 || resetMs === undefined) return;
    this.sawRateHeaders = true;
    if (resetMs === 0) this.resetRoundsDown = true;

    // Requests still in flight were sent after the server counted this one: assume they spend budget too.
    const budget = Math.floor(remaining) - this.inFlight;
    const windowEnd = now + resetMs + (this.resetRoundsDown ? 1000 : 0);
    if (this.startsNewWindow(now, remaining, windowEnd)) {
      this.budget = budget;
      this.windowEnd = windowEnd;
      this.lowestRemaining = remaining;
    } else {
      // Same window, possibly a response overtaken by fresher ones: keep the most pessimistic view.
      // Reset is whole seconds rounded either way, so the earliest end seen is the best estimate.
      this.budget = Math.min(this.budget, budget);
      this.windowEnd = Math.min(this.windowEnd, windowEnd);
      this.lowestRemaining = Math.min(this.lowestRemaining, remaining);
    }
  }

  private startsNewWindow(now: number, remaining: number, windowEnd: number): boolean {
    if (!this.windowLive(now)) return true;
    // Within one window Remaining only goes down; a stale response can show it higher by at most the
    // number of requests that were in flight with it. A bigger jump means the server opened a new window.
    if (remaining > this.lowestRemaining + this.peakInFlight + 1) return true;
    // An end more than the 1 s rounding (+ latency slack) later than the one we hold is a new window.
    return windowEnd > this.windowEnd + 1500;
  }

  /** 0: grant now; a finite number: ms until something may change; Infinity: wait for a slot to free. */
  private waitMs(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.windowLive(now)) {
      if (this.budget <= 0) return this.windowEnd - now;
      if (!Number.isFinite(this.lastGrantAt)) return 0;
      // Spread the remaining budget evenly over what is left of the window, the last one strictly before
      // its end (at the end the window counts as over, and the throttle probes again).
      const nextAt = this.lastGrantAt + (this.windowEnd - this.lastGrantAt) / (this.budget + 1);
      return Math.max(0, nextAt - now);
    }
    const cap = this.sawRateHeaders || this.refused || this.responses === 0 ? 1 : this.unknownConcurrency;
    return this.inFlight < cap ? 0 : Number.POSITIVE_INFINITY;
  }

  private pump(): void {
    if (this.cancelTimer) {
      this.cancelTimer();
      this.cancelTimer = undefined;
    }
    while (this.queue.length > 0) {
      const now = this.now();
      const wait = this.waitMs(now);
      if (wait > 0) {
        if (Number.isFinite(wait)) {
          this.cancelTimer = this.schedule(() => {
            this.cancelTimer = undefined;
            this.pump();
          }, Math.ceil(wait));
        }
        return;
      }
      const waiter = this.queue.shift() as Waiter;
      if (this.windowLive(now)) this.budget -= 1;
      this.lastGrantAt = now;
      this.grantsSinceRefusal += 1;
      this.inFlight += 1;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      waiter.stopListening?.();
      waiter.grant();
    }
  }
}

// Process-wide registry, one throttle per API origin, shared by every client and resource.
const registry = new Map<string, Throttle>();

export function throttleFor(endpoint: string): Throttle {
  const origin = new URL(endpoint).origin;
  let throttle = registry.get(origin);
  if (!throttle) {
    throttle = new Throttle();
    registry.set(origin, throttle);
  }
  return throttle;
}
