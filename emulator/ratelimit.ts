// One fixed request window shared by every caller, whatever its credential.
import type { ApiResponse } from "./messages";
import type { Clock, RateLimit } from "./options";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (relative, as Confluent sends it). */
  resetSeconds: number;
}

export class RateWindow {
  private windowStart = -Infinity;
  private used = 0;

  constructor(private readonly clock: Clock, public limit: RateLimit) {}

  take(): RateDecision {
    const now = this.clock.now();
    if (now >= this.windowStart + this.limit.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const allowed = this.used < this.limit.requests;
    if (allowed) this.used++;
    const resetSeconds = Math.max(1, Math.ceil((this.windowStart + this.limit.windowMs - now) / 1000));
    return { allowed, limit: this.limit.requests, remaining: this.limit.requests - this.used, resetSeconds };
  }

  reset(): void {
    this.windowStart = -Infinity;
    this.used = 0;
  }
}

/** The rate-limit headers of an answer, as Confluent sends them. */
export function rateHeaders(limit: number, remaining: number, resetSeconds: number): Record<string, string> {
  return { "X-RateLimit-Limit": String(limit), "X-RateLimit-Remaining": String(remaining), "X-RateLimit-Reset": String(resetSeconds) };
}

/** The answer to a request over the limit: no body, like the real API; the rate-limit headers unless they are off. */
export function tooManyRequests(limit: RateLimit, resetSeconds: number): ApiResponse {
  const headers = limit.headers === false ? {} : rateHeaders(limit.requests, 0, resetSeconds);
  return { status: 429, headers: { "Retry-After": String(resetSeconds), ...headers } };
}
