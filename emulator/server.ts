// The HTTP server: authentication, the shared rate window, fault injection, the request log, and dispatch to the
// API, the token endpoints or the test-control routes under /_emulator.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Api } from "./api";
import { authenticate, unauthenticated, type AuthKind } from "./auth";
import type { EmulatorContext } from "./context";
import { CONTROL_PREFIX } from "./control-routes";
import { injectedResponse, type Fault } from "./faults";
import { MAX_BODY_BYTES, readBody, send } from "./http";
import { failure, type ApiRequest, type ApiResponse, type Handler } from "./messages";
import { IDP_TOKEN_PATH, STS_TOKEN_PATH } from "./oauth";
import { rateHeaders, tooManyRequests } from "./ratelimit";

type Finish = (status: number | "reset") => void;

export class EmulatorServer {
  private readonly api: Api;
  private readonly server: Server;

  /** `controlRoutes` answers the requests under CONTROL_PREFIX (but the identity provider's), with the prefix cut off. */
  constructor(private readonly context: EmulatorContext, private readonly controlRoutes: Handler) {
    this.api = new Api(context.world, () => context.renderContext(), () => context.goneAs403);
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((e: unknown) => {
        if (res.headersSent) res.destroy();
        else send(res, randomUUID(), failure(500, "emulator_error", `the emulator failed: ${(e as Error).message}`), this.now());
      });
    });
  }

  /** The emulator's time (its clock), which dates every answer. */
  private now(): number {
    return this.context.options.clock.now();
  }

  /** Starts listening and returns the base URL (also the context's from now on). */
  async listen(): Promise<string> {
    const { port, host } = this.context.options;
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.context.url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
    return this.context.url;
  }

  async close(): Promise<void> {
    this.context.late.drop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://emulator");
    const requestId = randomUUID();
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      send(res, requestId, failure(413, "payload_too_large", `request bodies are limited to ${MAX_BODY_BYTES} bytes`), this.now());
      return;
    }
    const request: ApiRequest = { method: (req.method ?? "GET").toUpperCase(), path: url.pathname, query: url.searchParams, body };
    if (isControlPath(request.path)) {
      send(res, requestId, this.controlRoutes({ ...request, path: request.path.slice(CONTROL_PREFIX.length) }), this.now());
      return;
    }
    await this.serveLogged(req, res, request, requestId, started);
  }

  /** An API or token request: logged, exposed to the faults, then answered. */
  private async serveLogged(req: IncomingMessage, res: ServerResponse, request: ApiRequest, requestId: string, started: number): Promise<void> {
    const { method, path } = request;
    const authorization = req.headers.authorization;
    const tokenEndpoint = isTokenPath(path);
    // Token requests carry no API credential (the identity provider may take its client as HTTP Basic).
    const auth: AuthKind = tokenEndpoint ? "none" : authenticate(authorization, this.context.options, this.context.tokens);
    const entry = this.context.log.add({
      at: new Date(started).toISOString(), method, path, query: Object.fromEntries(request.query),
      route: tokenEndpoint ? path : Api.routeOf(path), requestId, auth,
    });
    const finish: Finish = (status) => {
      entry.status = status;
      entry.durationMs = Date.now() - started;
    };

    // Faults act at the edge, like a proxy in front of the API: before authentication and the rate window.
    const fault = this.context.faults.take(method, path);
    if (fault) entry.faultId = fault.id;
    // A delay "after" lets the request apply and then holds the answer back (e.g. a create that outlives the
    // client's timeout); otherwise the request waits before it is handled.
    if (fault?.delayMs && fault.when !== "after") await sleep(fault.delayMs);
    if (fault && fault.when === "before" && answersInstead(fault)) {
      // Applied later through the API path even for a token request, which, carrying no API credential, gets a 401.
      const applyAfterMs = fault.applyAfterMs;
      if (applyAfterMs !== undefined) this.context.late.schedule(entry, fault.id, applyAfterMs, () => this.apiResponse(request, auth, authorization).status);
      this.answerWithFault(res, requestId, fault, finish);
      return;
    }

    const response = tokenEndpoint ? this.tokenResponse(request, req) : this.apiResponse(request, auth, authorization);
    if (fault?.delayMs && fault.when === "after") await sleep(fault.delayMs);
    if (fault && fault.when === "after" && answersInstead(fault)) {
      // Something between the API and the client spoiled the answer; a success still names what it created.
      const location = response.headers.Location;
      const keep: Record<string, string> = location !== undefined && fault.status !== undefined && fault.status < 300 ? { Location: location } : {};
      this.answerWithFault(res, requestId, fault, finish, keep);
      return;
    }
    finish(response.status);
    send(res, requestId, response, this.now());
  }

  /** The identity provider and the STS: not rate limited (they are not the networking API's budget). */
  private tokenResponse({ method, path, body }: ApiRequest, req: IncomingMessage): ApiResponse {
    if (method !== "POST") return failure(405, "method_not_allowed", `${method} is not allowed here; use POST`, undefined, { Allow: "POST" });
    const contentType = req.headers["content-type"];
    const tokens = this.context.tokens;
    return path === IDP_TOKEN_PATH ? tokens.issueExternal(contentType, body, req.headers.authorization) : tokens.exchange(contentType, body);
  }

  private apiResponse(request: ApiRequest, auth: AuthKind, authorization: string | undefined): ApiResponse {
    if (auth === "none" || auth === "invalid") return unauthenticated(auth, authorization, this.context.tokens);
    const rate = this.context.rate;
    const decision = rate.take();
    if (!decision.allowed) return tooManyRequests(rate.limit, decision.resetSeconds);
    const response = this.api.handle(request);
    if (rate.limit.headers !== false) Object.assign(response.headers, rateHeaders(decision.limit, decision.remaining, decision.resetSeconds));
    return response;
  }

  private answerWithFault(res: ServerResponse, requestId: string, fault: Fault, finish: Finish, keep: Record<string, string> = {}): void {
    if (fault.reset) {
      finish("reset");
      res.socket?.destroy();
      return;
    }
    const status = fault.status!;
    const response = injectedResponse(fault, status, this.context.rate.limit, keep);
    finish(status);
    send(res, requestId, response, this.now(), fault.contentType);
  }
}

/** The identity provider lives under the control prefix but is served like an API path (logged, faults apply). */
function isTokenPath(path: string): boolean {
  return path === IDP_TOKEN_PATH || path === STS_TOKEN_PATH;
}

function isControlPath(path: string): boolean {
  return !isTokenPath(path) && (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`));
}

/** Whether a fault replaces the answer (a status or a reset) rather than only delaying it. */
function answersInstead(fault: Fault): boolean {
  return fault.status !== undefined || fault.reset === true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
