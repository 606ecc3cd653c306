// Test control: faults injected into the next requests that match a method and a path, and what they answer.
import { failure, type ApiResponse } from "./messages";
import type { RateLimit } from "./options";
import { tooManyRequests } from "./ratelimit";

export interface FaultSpec {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Path to match (no query); `*` matches any run of characters. Any when omitted. */
  path?: string;
  /** How many matching requests fail (default 1). */
  count?: number;
  /** Answer with this status instead (a Failure body, or no body for 429 like the real API). */
  status?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  /** "before" (default): the request is not applied. "after": it is applied, then the fault replaces the answer. */
  when?: "before" | "after";
  /** Wait this long before answering (alone: a slow but otherwise normal answer). */
  delayMs?: number;
  /** Raw body to send with `status` (string as is, anything else as JSON). */
  body?: unknown;
  contentType?: string;
  /** Extra or replaced headers; null removes one (e.g. a 429 without Retry-After). */
  headers?: Record<string, string | null>;
  /**
   * Answer at once with `reset` or `status`, and apply the request this long afterwards (a slow backend: the
   * client sees a failure, then the request takes effect). `control.applyLateRequests()` applies it sooner.
   */
  applyAfterMs?: number;
}

export interface Fault extends Required<Pick<FaultSpec, "count" | "when">>, Omit<FaultSpec, "count" | "when"> {
  id: number;
  matched: number;
}

export class FaultTable {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    validate(spec);
    const count = spec.count ?? 1;
    const fault: Fault = { ...spec, count, when: spec.when ?? "before", id: this.nextId++, matched: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** Takes the first active fault matching the request, counting it down. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.matched < f.count && matches(f, method, path));
    if (fault) fault.matched++;
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

/**
 * The answer of a fault with `status` (its own): a Failure body (none for 429, like the real API), then the fault's own body
 * and headers; `keep` holds headers of the real answer that stay.
 */
export function injectedResponse(fault: Fault, status: number, rateLimit: RateLimit, keep: Record<string, string>): ApiResponse {
  const response = status === 429
    ? tooManyRequests(rateLimit, 1)
    : failure(status, "injected_fault", `fault ${fault.id} injected by the emulator`);
  Object.assign(response.headers, keep);
  if (fault.body !== undefined) response.body = fault.body;
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    const existing = Object.keys(response.headers).find((h) => h.toLowerCase() === name.toLowerCase());
    if (existing) delete response.headers[existing];
    if (value !== null) response.headers[name] = value;
  }
  return response;
}

/** What Node's HTTP server accepts in a header value (anything else would throw while answering). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const KNOWN_KEYS = new Set(["method", "path", "count", "status", "reset", "when", "delayMs", "body", "contentType", "headers", "applyAfterMs"]);

/** Refuses specs that would be ignored, crash the matcher later, or could only be typos. */
function validate(spec: FaultSpec): void {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new Error("a fault is an object");
  const unknown = Object.keys(spec).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) throw new Error(`unknown fault field(s): ${unknown.join(", ")}`);
  if (spec.method !== undefined && (typeof spec.method !== "string" || !/^[A-Za-z]+$/.test(spec.method))) throw new Error("method must be an HTTP method name");
  if (spec.path !== undefined && (typeof spec.path !== "string" || !/^[/*]/.test(spec.path))) throw new Error('path must be a string starting with "/" or "*"');
  const count = spec.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error("count must be a positive integer");
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
    throw new Error("status must be an HTTP status code");
  }
  if (spec.reset !== undefined && typeof spec.reset !== "boolean") throw new Error("reset must be a boolean");
  if (spec.reset && spec.status !== undefined) throw new Error("reset and status exclude each other: a reset sends no answer");
  if (spec.when !== undefined && spec.when !== "before" && spec.when !== "after") throw new Error('when must be "before" or "after"');
  if (spec.delayMs !== undefined && (typeof spec.delayMs !== "number" || !Number.isFinite(spec.delayMs) || spec.delayMs < 0)) {
    throw new Error("delayMs must be a number of milliseconds >= 0");
  }
  if (spec.status === undefined && !spec.reset && spec.delayMs === undefined) throw new Error("a fault needs status, reset or delayMs");
  if (spec.applyAfterMs !== undefined) {
    if (typeof spec.applyAfterMs !== "number" || !Number.isFinite(spec.applyAfterMs) || spec.applyAfterMs < 0 || spec.applyAfterMs > 2 ** 31 - 1) {
      throw new Error("applyAfterMs must be a number of milliseconds >= 0");
    }
    if (spec.status === undefined && !spec.reset) throw new Error("applyAfterMs goes with reset or status: the answer the client gets before the request applies");
    if (spec.when !== undefined) throw new Error('applyAfterMs excludes when: the request applies neither "before" nor "after" the answer, but later');
  }
  if (spec.contentType !== undefined && (typeof spec.contentType !== "string" || !HEADER_VALUE.test(spec.contentType) || spec.contentType === "")) {
    throw new Error("contentType must be a non-empty header value");
  }
  if (spec.headers !== undefined) {
    if (typeof spec.headers !== "object" || spec.headers === null || Array.isArray(spec.headers)) throw new Error("headers must be an object");
    for (const [name, value] of Object.entries(spec.headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error(`header name '${name}' is not valid`);
      if (value !== null && (typeof value !== "string" || !HEADER_VALUE.test(value))) throw new Error(`header ${name} must be a string of visible characters, or null to remove it`);
    }
  }
  if (spec.status === undefined && (spec.body !== undefined || spec.contentType !== undefined || spec.headers !== undefined)) {
    throw new Error("body, contentType and headers go with a status (they would be ignored)");
  }
}

function matches(f: Fault, method: string, path: string): boolean {
  if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
  if (!f.path) return true;
  const pattern = new RegExp(`^${f.path.split("*").map(escapeRegExp).join(".*")}$`);
  return pattern.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
