// Retry policy: which failures are retried, for which methods, and how long to wait.
// Pure functions (no I/O, no clock or randomness of their own) so the policy is unit-tested directly;
// request.ts plugs them into axios-retry as `retryCondition` and `retryDelay`.

/** The part of an AxiosError the policy looks at (structural, so tests need no axios). */
export interface FailureLike {
  code?: string;
  message?: string;
  response?: { status: number };
}

/**
 * - `canceled`: our own AbortSignal fired (deadline or caller cancellation): never retried.
 * - `connect`: the connection was never established, so nothing reached the server.
 * - `timeout`: the attempt timed out; the server may have received and applied it.
 * - `transport`: the connection broke (reset, broken pipe, truncated body): may have been applied.
 * - `http`: the server answered with an error status.
 * - `other`: programming/configuration errors (bad URL, TLS certificate, redirects): not transient.
 */
export type FailureKind = "canceled" | "connect" | "timeout" | "transport" | "http" | "other";

const CONNECT_PHASE_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"];
const TIMEOUT_CODES = ["ECONNABORTED", "ETIMEDOUT", "ESOCKETTIMEDOUT"];
// ERR_BAD_RESPONSE without an error status is axios' "stream has been aborted" (body cut off mid-way).
const TRANSPORT_CODES = ["ECONNRESET", "EPIPE", "ERR_NETWORK", "ENETDOWN", "EHOSTDOWN", "ERR_BAD_RESPONSE"];
const IDEMPOTENT_METHODS = ["get", "head", "options", "delete", "patch", "put"];

export function classifyFailure(error: FailureLike): FailureKind {
  const status = error.response?.status;
  if (status !== undefined && status >= 300) return "http";
  const code = error.code ?? "";
  if (code === "ERR_CANCELED") return "canceled";
  if (CONNECT_PHASE_CODES.includes(code)) return "connect";
  if (TIMEOUT_CODES.includes(code)) return "timeout";
  if (TRANSPORT_CODES.includes(code)) return "transport";
  return "other";
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

/**
 * axios' "maxContentLength size of N exceeded": the answer was larger than the client reads. Still a transport
 * failure for mayHaveBeenApplied (the server answered, so a mutation was applied), but never retried: the same
 * answer would be as large again, and each attempt downloads the limit in full.
 */
export function isOversizedResponse(error: FailureLike): boolean {
  return error.code === "ERR_BAD_RESPONSE" && error.response === undefined && /^maxContentLength size of \d+ exceeded/.test(error.message ?? "");
}

/**
 * GET/HEAD/OPTIONS/DELETE/PATCH/PUT: connect and transport errors, timeouts, 429, 5xx except 501.
 * POST (and anything else): only 429 and connect-phase errors, because after a reset, a timeout or a 5xx
 * the create may already exist server-side; the caller reconciles instead of risking a duplicate.
 * axios-retry's defaults are wrong for this API (they retry POST on network errors and never retry PATCH).
 */
export function shouldRetry(method: string | undefined, error: FailureLike): boolean {
  if (isOversizedResponse(error)) return false;
  const kind = classifyFailure(error);
  const status = error.response?.status;
  if (IDEMPOTENT_METHODS.includes((method ?? "").toLowerCase())) {
    if (kind === "http") return status !== undefined && isRetryableStatus(status);
    return kind === "connect" || kind === "timeout" || kind === "transport";
  }
  if (kind === "http") return status === 429;
  return kind === "connect";
}

/** True when the failed attempt may have been applied by the server (what makes a failed POST "ambiguous"). */
export function mayHaveBeenApplied(error: FailureLike): boolean {
  const kind = classifyFailure(error);
  if (kind === "timeout" || kind === "transport") return true;
  const status = error.response?.status;
  return kind === "http" && status !== undefined && status >= 500 && status !== 501;
}

/** A response header value as one string (axios may hand over string, string[] or number). */
export function headerString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.length > 0) return headerString(value[0]);
  return undefined;
}

const NUMBER = /^\s*\d+(\.\d+)?\s*$/;
const HTTP_DATE_START = /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/i;
// No relative window is 30 years long: a value this large is an epoch sent by a non-conforming proxy.
const EPOCH_SECONDS_THRESHOLD = 1e9;

/** Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined when absent or unparsable. */
export function parseRetryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (NUMBER.test(value)) return Number(value) * 1000;
  // All three HTTP-date forms start with a day name; Date.parse alone would accept "-5" as a year.
  if (!HTTP_DATE_START.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** X-RateLimit-Reset: seconds RELATIVE to now until the window resets (Confluent's documented meaning). */
export function parseRateLimitResetMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || !NUMBER.test(value)) return undefined;
  const seconds = Number(value);
  if (seconds >= EPOCH_SECONDS_THRESHOLD) return Math.max(0, seconds * 1000 - now);
  return seconds * 1000;
}

/** max(Retry-After, X-RateLimit-Reset) in ms when at least one of them parses; otherwise undefined. */
export function serverDelayMs(retryAfter: string | undefined, rateLimitReset: string | undefined, now: number): number | undefined {
  const candidates = [parseRetryAfterMs(retryAfter, now), parseRateLimitResetMs(rateLimitReset, now)].filter(
    (ms): ms is number => ms !== undefined,
  );
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

export interface RetryDelayInput {
  /** 1 for the first retry. */
  attempt: number;
  retryAfter?: string;
  rateLimitReset?: string;
  /** In [0, 1). Injected so the jitter is testable. */
  random: () => number;
  baseMs?: number;
  capMs?: number;
  /** Epoch ms; only needed for an HTTP-date Retry-After. Defaults to Date.now(). */
  now?: number;
}

/**
 * The server's word wins (max of Retry-After and X-RateLimit-Reset, not capped: sending earlier only earns
 * another 429); otherwise full-jitter exponential backoff: random() * min(cap, base * 2^(attempt-1)).
 */
export function retryDelayMs(input: RetryDelayInput): number {
  const fromServer = serverDelayMs(input.retryAfter, input.rateLimitReset, input.now ?? Date.now());
  if (fromServer !== undefined) return fromServer;
  const baseMs = input.baseMs ?? 1000;
  const capMs = input.capMs ?? 30_000;
  const exponent = Math.max(0, Math.floor(input.attempt) - 1);
  return input.random() * Math.min(capMs, baseMs * 2 ** exponent);
}
