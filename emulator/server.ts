// The HTTP server: authentication, the shared rate window, headers, fault injection, the request log,
// and dispatch to the API or to the test-control routes under /_emulator.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Api, failure, type ApiResponse } from "./api";
import { Control } from "./control";
import { FaultTable, type Fault } from "./faults";
import { IDP_TOKEN_PATH, STS_TOKEN_PATH, TokenAuthority } from "./oauth";
import { goneAs403Of, type ResolvedOptions } from "./options";
import { RateWindow } from "./ratelimit";
import { World } from "./state";
import type { RenderContext } from "./wire";

export const CONTROL_PREFIX = "/_emulator";
const MAX_BODY_BYTES = 1 << 20;

/** `oauth`: a live token from the emulator's STS; `bearer`: one of the configured static tokens. */
export type AuthKind = "basic" | "bearer" | "oauth" | "none" | "invalid";

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

/** A request answered already and applied later (fault `applyAfterMs`). */
export interface LateRequest {
  seq: number;
  method: string;
  path: string;
  faultId: number;
  /** When it applies on its own (wall clock). */
  dueAt: string;
}

interface PendingApplication extends LateRequest {
  timer: NodeJS.Timeout;
  apply: () => number;
}

export class EmulatorServer {
  readonly world: World;
  readonly faults = new FaultTable();
  readonly rate: RateWindow;
  readonly log: LoggedRequest[] = [];
  private readonly late = new Map<number, PendingApplication>();
  readonly api: Api;
  readonly tokens: TokenAuthority;
  readonly control: Control;
  private readonly server: Server;
  private seq = 0;
  url = "";

  constructor(readonly options: ResolvedOptions) {
    this.world = new World(options.clock, { ...options.timing });
    this.world.seed(options.environments, options.privateLinkAttachments);
    this.rate = new RateWindow(options.clock, { ...options.rateLimit });
    this.api = new Api(this.world, () => this.renderContext(), () => goneAs403Of(this.options));
    this.tokens = new TokenAuthority(options.clock, options.oauth, () => this.url);
    this.control = new Control(this);
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((e: unknown) => {
        if (res.headersSent) res.destroy();
        else send(res, randomUUID(), failure(500, "emulator_error", `the emulator failed: ${(e as Error).message}`));
      });
    });
  }

  renderContext(): RenderContext {
    return { world: this.world, baseUrl: this.url, quirks: this.options.quirks };
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const host = this.options.host.includes(":") ? `[${this.options.host}]` : this.options.host;
    this.url = `http://${host}:${port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.dropLateRequests();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    const requestId = randomUUID();
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      send(res, requestId, failure(413, "payload_too_large", `request bodies are limited to ${MAX_BODY_BYTES} bytes`));
      return;
    }

    // The identity provider lives under the control prefix but is served like an API path (logged, faults apply),
    // so tests can count its requests and break it.
    const tokenEndpoint = url.pathname === IDP_TOKEN_PATH || url.pathname === STS_TOKEN_PATH;
    if (!tokenEndpoint && (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`))) {
      send(res, requestId, this.control.handle(method, url.pathname.slice(CONTROL_PREFIX.length), url.searchParams, body));
      return;
    }

    // Token requests carry no API credential (the identity provider may take its client as HTTP Basic).
    const auth: AuthKind = tokenEndpoint ? "none" : this.authenticate(req.headers.authorization);
    const entry: LoggedRequest = {
      seq: ++this.seq,
      at: new Date(started).toISOString(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      route: tokenEndpoint ? url.pathname : Api.routeOf(url.pathname),
      status: 0,
      requestId,
      auth,
      durationMs: 0,
    };
    this.log.push(entry);
    const finish = (status: number | "reset") => {
      entry.status = status;
      entry.durationMs = Date.now() - started;
    };

    // Faults act at the edge, like a proxy in front of the API: before authentication and the rate window.
    const fault = this.faults.take(method, url.pathname);
    if (fault) entry.faultId = fault.id;
    // A delay "after" lets the request apply and then holds the answer back (e.g. a create that outlives the
    // client's timeout); otherwise the request waits before it is handled.
    if (fault?.delayMs && fault.when !== "after") await sleep(fault.delayMs);
    if (fault && fault.when === "before" && (fault.status !== undefined || fault.reset)) {
      if (fault.applyAfterMs !== undefined) this.applyLater(entry, fault, () => this.apiResponse(method, url, body, auth, req.headers.authorization).status);
      this.answerWithFault(res, requestId, fault, finish);
      return;
    }

    const response = tokenEndpoint ? this.tokenResponse(method, url.pathname, req, body) : this.apiResponse(method, url, body, auth, req.headers.authorization);
    if (fault?.delayMs && fault.when === "after") await sleep(fault.delayMs);
    if (fault && fault.when === "after" && (fault.status !== undefined || fault.reset)) {
      // Something between the API and the client spoiled the answer; a success still names what it created.
      const location = response.headers.Location;
      const keep: Record<string, string> = location !== undefined && fault.status !== undefined && fault.status < 300 ? { Location: location } : {};
      this.answerWithFault(res, requestId, fault, finish, keep);
      return;
    }
    finish(response.status);
    send(res, requestId, response);
  }

  /** Requests answered already and waiting to apply, oldest first. */
  lateRequests(): LateRequest[] {
    return [...this.late.values()].map(({ timer: _t, apply: _a, ...shown }) => ({ ...shown }));
  }

  /** Applies every waiting request now, in arrival order; returns what the API answered each. */
  applyLateRequests(): { seq: number; status: number }[] {
    return [...this.late.values()].map((pending) => ({ seq: pending.seq, status: this.applyNow(pending) }));
  }

  dropLateRequests(): void {
    for (const pending of this.late.values()) clearTimeout(pending.timer);
    this.late.clear();
  }

  private applyLater(entry: LoggedRequest, fault: Fault, apply: () => number): void {
    const delay = fault.applyAfterMs!;
    const pending: PendingApplication = {
      seq: entry.seq, method: entry.method, path: entry.path, faultId: fault.id, dueAt: new Date(Date.now() + delay).toISOString(),
      timer: setTimeout(() => this.applyNow(pending), delay).unref(),
      apply: () => (entry.appliedStatus = apply()),
    };
    this.late.set(entry.seq, pending);
  }

  private applyNow(pending: PendingApplication): number {
    clearTimeout(pending.timer);
    this.late.delete(pending.seq);
    return pending.apply();
  }


  /** The identity provider and the STS: not rate limited (they are not the networking API's budget). */
  private tokenResponse(method: string, path: string, req: IncomingMessage, body: string): ApiResponse {
    if (method !== "POST") return failure(405, "method_not_allowed", `${method} is not allowed here; use POST`, undefined, { Allow: "POST" });
    const contentType = req.headers["content-type"];
    return path === IDP_TOKEN_PATH ? this.tokens.issueExternal(contentType, body, req.headers.authorization) : this.tokens.exchange(contentType, body);
  }

  private apiResponse(method: string, url: URL, body: string, auth: AuthKind, authorization: string | undefined): ApiResponse {
    if (auth === "none" || auth === "invalid") {
      const challenge = auth === "none"
        ? 'Basic realm="Confluent Cloud", Bearer realm="Confluent Cloud"'
        : this.challengeFor(authorization);
      return failure(401, "user_unauthenticated", "Valid authentication credentials must be provided", undefined, { "WWW-Authenticate": challenge });
    }
    const decision = this.rate.take();
    if (!decision.allowed) {
      return {
        status: 429,
        headers: {
          "Retry-After": String(decision.resetSeconds),
          "X-RateLimit-Limit": String(decision.limit),
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String(decision.resetSeconds),
        },
      };
    }
    const response = this.api.handle({ method, path: url.pathname, query: url.searchParams, body });
    response.headers["X-RateLimit-Limit"] = String(decision.limit);
    response.headers["X-RateLimit-Remaining"] = String(decision.remaining);
    response.headers["X-RateLimit-Reset"] = String(decision.resetSeconds);
    return response;
  }

  private answerWithFault(res: ServerResponse, requestId: string, fault: Fault, finish: (s: number | "reset") => void, keep: Record<string, string> = {}): void {
    if (fault.reset) {
      finish("reset");
      res.socket?.destroy();
      return;
    }
    const status = fault.status!;
    let response: ApiResponse;
    if (status === 429) {
      response = { status, headers: { "Retry-After": "1", "X-RateLimit-Limit": String(this.rate.limit.requests), "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1" } };
    } else {
      response = failure(status, "injected_fault", `fault ${fault.id} injected by the emulator`);
    }
    Object.assign(response.headers, keep);
    if (fault.body !== undefined) response.body = fault.body;
    for (const [name, value] of Object.entries(fault.headers ?? {})) {
      const existing = Object.keys(response.headers).find((h) => h.toLowerCase() === name.toLowerCase());
      if (existing) delete response.headers[existing];
      if (value !== null) response.headers[name] = value;
    }
    finish(status);
    send(res, requestId, response, fault.contentType);
  }

  private authenticate(header: string | undefined): AuthKind {
    if (!header) return "none";
    const [scheme, value = ""] = header.split(/\s+/, 2);
    if (scheme?.toLowerCase() === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const { apiKey, apiSecret } = this.options.credentials;
      return decoded === `${apiKey}:${apiSecret}` ? "basic" : "invalid";
    }
    if (scheme?.toLowerCase() === "bearer") {
      if (this.options.accessTokens.includes(value)) return "bearer";
      return this.tokens.check(value, "sts") === "valid" ? "oauth" : "invalid";
    }
    return "invalid";
  }

  /** Why a credential was refused, in the WWW-Authenticate of the 401. */
  private challengeFor(authorization: string | undefined): string {
    const [scheme, value = ""] = (authorization ?? "").split(/\s+/, 2);
    const check = scheme?.toLowerCase() === "bearer" ? this.tokens.check(value, "sts") : "unknown";
    if (check === "expired") return 'Bearer realm="Confluent Cloud", error="invalid_token", error_description="The access token expired"';
    if (check === "revoked") return 'Bearer realm="Confluent Cloud", error="invalid_token", error_description="The access token was revoked"';
    return 'Basic realm="Confluent Cloud", error="invalid_key", error_description="The API key, secret or token is invalid"';
  }
}

function send(res: ServerResponse, requestId: string, response: ApiResponse, contentType?: string): void {
  const headers: Record<string, string> = { "X-Request-Id": requestId, ...response.headers };
  let payload: string | undefined;
  if (response.body !== undefined && response.status !== 204) {
    payload = typeof response.body === "string" ? response.body : JSON.stringify(response.body);
    headers["Content-Type"] = contentType ?? "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  } else if (response.status !== 204) {
    headers["Content-Length"] = "0";
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("too large"));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
