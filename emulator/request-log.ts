// The log of the requests served (API, identity provider and STS; not the control routes), and counts over it.
import type { AuthKind } from "./auth";

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Route template, e.g. `/networking/v1/private-link-attachment-connections/{id}`. */
  route?: string;
  status: number | "reset";
  requestId: string;
  /** How the caller authenticated; the credential itself is never recorded. */
  auth: AuthKind;
  faultId?: number;
  durationMs: number;
  /** For a request applied after its answer (fault `applyAfterMs`): the status the API gave it then. */
  appliedStatus?: number;
}

export interface RequestCounts {
  /** `METHOD /path` → count, e.g. `GET /networking/v1/private-link-attachment-connections/plattc-abc123`. */
  byPath: Record<string, number>;
  /** `METHOD /route` → count, e.g. `GET /networking/v1/private-link-attachment-connections/{id}`. */
  byRoute: Record<string, number>;
  total: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  /** Not reset by clear(): a sequence number names one request for the emulator's whole life. */
  private seq = 0;

  /** Logs a request as it arrives; the caller fills in its status and duration when it is answered. */
  add(arrival: Omit<LoggedRequest, "seq" | "status" | "durationMs">): LoggedRequest {
    const { at, method, path, query, route, requestId, auth } = arrival;
    const entry: LoggedRequest = { seq: ++this.seq, at, method, path, query, route, status: 0, requestId, auth, durationMs: 0 };
    this.entries.push(entry);
    return entry;
  }

  list(): LoggedRequest[] {
    return this.entries.map((r) => ({ ...r, query: { ...r.query } }));
  }

  counts(): RequestCounts {
    const byPath: Record<string, number> = {};
    const byRoute: Record<string, number> = {};
    for (const r of this.entries) {
      const pathKey = `${r.method} ${r.path}`;
      const routeKey = `${r.method} ${r.route ?? r.path}`;
      byPath[pathKey] = (byPath[pathKey] ?? 0) + 1;
      byRoute[routeKey] = (byRoute[routeKey] ?? 0) + 1;
    }
    return { byPath, byRoute, total: this.entries.length };
  }

  clear(): void {
    this.entries = [];
  }
}
