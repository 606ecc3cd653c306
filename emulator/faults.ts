// Test control: faults injected into the next requests that match a method and a path.

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
}

export interface Fault extends Required<Pick<FaultSpec, "count" | "when">>, Omit<FaultSpec, "count" | "when"> {
  id: number;
  matched: number;
}

export class FaultTable {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error("count must be a positive integer");
    if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
      throw new Error("status must be an HTTP status code");
    }
    if (spec.when !== undefined && spec.when !== "before" && spec.when !== "after") throw new Error('when must be "before" or "after"');
    if (spec.status === undefined && !spec.reset && spec.delayMs === undefined) {
      throw new Error("a fault needs status, reset or delayMs");
    }
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

function matches(f: Fault, method: string, path: string): boolean {
  if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
  if (!f.path) return true;
  const pattern = new RegExp(`^${f.path.split("*").map(escapeRegExp).join(".*")}$`);
  return pattern.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
