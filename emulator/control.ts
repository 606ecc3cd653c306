// Test control, over HTTP under /_emulator and in-process through the handle startEmulator returns.
import type { ApiResponse } from "./api";
import { failure } from "./api";
import type { Fault, FaultSpec } from "./faults";
import { IDP_TOKEN_PATH, type OAuthLifetimes, type OAuthStats } from "./oauth";
import { assertLifetimes, goneAs403Of, type AttachmentSeed, type RateLimit, type Timing } from "./options";
import type { EmulatorServer, LateRequest, LoggedRequest } from "./server";
import { endpointIdOf, type ConnectionRecord } from "./state";
import { BodyError, renderConnection, seedFromBody } from "./wire";

type Json = Record<string, unknown>;

/** The emulator's own view of a connection, including what the API does not show. */
export interface ConnectionView {
  id: string;
  environmentId: string;
  privateLinkAttachmentId: string;
  displayName?: string;
  cloud: string;
  endpointId: string;
  phase: string;
  createdAt: string;
  /** When the connection turns (or turned) READY on its own; null while held in PROVISIONING. */
  readyAt: string | null;
  readyAtMs: number | null;
  held: boolean;
  forcedPhase?: string;
  deletedAt?: string;
  /** The body a GET would answer with now. */
  body: Json;
}

export interface RequestCounts {
  /** `METHOD /path` → count, e.g. `GET /networking/v1/private-link-attachment-connections/plattc-abc123`. */
  byPath: Record<string, number>;
  /** `METHOD /route` → count, e.g. `GET /networking/v1/private-link-attachment-connections/{id}`. */
  byRoute: Record<string, number>;
  total: number;
}

export interface OAuthView extends OAuthLifetimes, OAuthStats {
  /** Where the emulator's identity provider issues client-credentials tokens. */
  tokenUrl: string;
  identityPools: string[];
  clientIds: string[];
}

export class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class Control {
  /** Configuration at start, which reset() returns to (configure() changes the live values). */
  private readonly initial: { timing: Timing; rateLimit: RateLimit; quirks: boolean; goneAs403?: boolean; oauth: OAuthLifetimes };

  constructor(private readonly server: EmulatorServer) {
    this.initial = {
      timing: { ...server.world.timing }, rateLimit: { ...server.rate.limit }, quirks: server.options.quirks, goneAs403: server.options.goneAs403,
      oauth: { ...server.tokens.lifetimes },
    };
  }

  // ---- OAuth --------------------------------------------------------------------------------------------

  /** The identity provider's token URL, the pools, the client ids (never a secret), lifetimes and token counts. */
  oauth(): OAuthView {
    const tokens = this.server.tokens;
    return {
      tokenUrl: `${this.server.url}${IDP_TOKEN_PATH}`,
      identityPools: [...tokens.identityPools],
      clientIds: [...tokens.clients.keys()],
      ...tokens.lifetimes,
      ...tokens.stats(),
    };
  }

  /** Revokes the tokens issued so far: the STS's (the API refuses them), the identity provider's (the STS refuses them), or all. */
  revokeTokens(which: "external" | "sts" | "all" = "all"): { revoked: number } {
    if (!["external", "sts", "all"].includes(which)) throw new ControlError(400, "tokens must be external, sts or all");
    return { revoked: this.server.tokens.revoke(which) };
  }

  /** In-process only, never over HTTP: the tokens issued so far, for tests that prove none leaks. */
  issuedTokens(): { external: string[]; sts: string[] } {
    return this.server.tokens.values();
  }

  addIdentityPool(id: string): void {
    if (typeof id !== "string" || id === "") throw new ControlError(400, "identity pool id must be a non-empty string");
    this.server.tokens.identityPools.add(id);
  }

  addOAuthClient(clientId: string, clientSecret: string): void {
    if (typeof clientId !== "string" || clientId === "" || typeof clientSecret !== "string" || clientSecret === "") {
      throw new ControlError(400, "an OAuth client needs a non-empty clientId and clientSecret");
    }
    this.server.tokens.clients.set(clientId, clientSecret);
  }

  // ---- in-process API ---------------------------------------------------------------------------------

  injectFault(spec: FaultSpec): Fault {
    try {
      return this.server.faults.add(spec);
    } catch (e) {
      throw new ControlError(400, (e as Error).message);
    }
  }

  faults(): Fault[] {
    return this.server.faults.list();
  }

  clearFaults(): void {
    this.server.faults.clear();
  }

  /** Requests a fault with `applyAfterMs` answered and has not applied yet. */
  lateRequests(): LateRequest[] {
    return this.server.lateRequests();
  }

  /** Applies those requests now (instead of after their applyAfterMs), in arrival order. */
  applyLateRequests(): { seq: number; status: number }[] {
    return this.server.applyLateRequests();
  }

  requests(): LoggedRequest[] {
    return this.server.log.map((r) => ({ ...r, query: { ...r.query } }));
  }

  counts(): RequestCounts {
    const byPath: Record<string, number> = {};
    const byRoute: Record<string, number> = {};
    for (const r of this.server.log) {
      const pathKey = `${r.method} ${r.path}`;
      const routeKey = `${r.method} ${r.route ?? r.path}`;
      byPath[pathKey] = (byPath[pathKey] ?? 0) + 1;
      byRoute[routeKey] = (byRoute[routeKey] ?? 0) + 1;
    }
    return { byPath, byRoute, total: this.server.log.length };
  }

  clearRequests(): void {
    this.server.log.length = 0;
  }

  connections(): ConnectionView[] {
    return this.server.world.all().map((c) => this.view(c));
  }

  connection(id: string): ConnectionView | undefined {
    const c = this.server.world.get(id);
    return c && this.view(c);
  }

  /**
   * In-process only: calls `listener` with each connection a create makes, as the create is applied and before it
   * is answered, so a test can hold, fail or delete it before the client knows its id (no race with the clock).
   * Returns the function that stops the calls.
   */
  onCreated(listener: (view: ConnectionView) => void): () => void {
    const listeners = this.server.world.createdListeners;
    const call = (c: ConnectionRecord): void => listener(this.view(c));
    listeners.add(call);
    return () => void listeners.delete(call);
  }

  /** Force a phase (FAILED and DISCONNECTED carry an error code and message); null returns it to the clock. */
  setPhase(id: string, phase: string | null, error?: { errorCode?: string; errorMessage?: string }): ConnectionView {
    const c = this.find(id);
    if (phase !== null && (typeof phase !== "string" || phase === "")) throw new ControlError(400, "phase must be a non-empty string or null");
    for (const [name, value] of Object.entries(error ?? {})) {
      if (value !== undefined && typeof value !== "string") throw new ControlError(400, `${name === "errorCode" ? "error_code" : "error_message"} must be a string`);
    }
    if (phase === null) this.server.world.force(c, undefined);
    else {
      const defaults = phase === "FAILED"
        ? { errorCode: "PROVISIONING_FAILED", errorMessage: "the private endpoint could not be connected (injected by the emulator)" }
        : phase === "DISCONNECTED"
          ? { errorCode: "ENDPOINT_DELETED", errorMessage: "the private endpoint of this connection was deleted (injected by the emulator)" }
          : {};
      this.server.world.force(c, { phase, ...defaults, ...stripUndefined(error ?? {}) });
    }
    return this.view(c);
  }

  /** Keep a connection in PROVISIONING until released. */
  hold(id: string, held = true): ConnectionView {
    const c = this.find(id);
    if (typeof held !== "boolean") throw new ControlError(400, "hold must be a boolean");
    this.server.world.hold(c, held);
    return this.view(c);
  }

  /** Rename out-of-band (drift), as if done in the Confluent Cloud console. */
  rename(id: string, displayName: string | null): ConnectionView {
    const c = this.find(id);
    if (displayName !== null && displayName !== undefined && typeof displayName !== "string") throw new ControlError(400, "display_name must be a string or null");
    this.server.world.rename(c, displayName ?? undefined);
    return this.view(c);
  }

  /** Delete out-of-band: gone at once, or through DEPROVISIONING when graceful. */
  deleteConnection(id: string, options: { graceful?: boolean } = {}): void {
    const c = this.find(id);
    if (options.graceful) this.server.world.markDeleted(c);
    else this.server.world.removeNow(c.id);
  }

  /** Put a connection body (e.g. a recorded response) into the emulator through the quirk-tolerant reader. */
  seedConnection(body: unknown): ConnectionView {
    try {
      return this.view(seedFromBody(this.server.world, body));
    } catch (e) {
      if (e instanceof BodyError) throw new ControlError(400, e.message);
      throw e;
    }
  }

  addEnvironment(id: string): void {
    if (typeof id !== "string" || id === "") throw new ControlError(400, "environment id must be a non-empty string");
    this.server.world.environments.add(id);
  }

  addAttachment(seed: AttachmentSeed): void {
    if (typeof seed?.id !== "string" || typeof seed.environmentId !== "string" || typeof seed.region !== "string" || !["AWS", "AZURE", "GCP"].includes(seed.cloud)) {
      throw new ControlError(400, "an attachment needs id, environmentId, region and cloud (AWS, AZURE or GCP)");
    }
    this.server.world.seed([seed.environmentId], [seed]);
  }

  /**
   * Changes timing, rate limit, quirks mode and goneAs403 (null: follow quirks mode again); all or nothing (an
   * invalid change changes nothing).
   */
  configure(change: { timing?: Partial<Timing>; rateLimit?: RateLimit; quirks?: boolean; goneAs403?: boolean | null; oauth?: Partial<OAuthLifetimes> }): void {
    checkConfig(change);
    if (change.oauth) Object.assign(this.server.tokens.lifetimes, stripUndefined(change.oauth));
    if (change.timing) Object.assign(this.server.world.timing, stripUndefined(change.timing));
    if (change.rateLimit) {
      this.server.rate.limit = { requests: change.rateLimit.requests, windowMs: change.rateLimit.windowMs };
      this.server.rate.reset();
    }
    if (change.quirks !== undefined) this.server.options.quirks = change.quirks;
    if (change.goneAs403 === null) delete this.server.options.goneAs403;
    else if (change.goneAs403 !== undefined) this.server.options.goneAs403 = change.goneAs403;
  }

  /**
   * Back to the state right after start: seeded world, no connections, faults, log or used rate window, and the
   * timing, rate limit and quirks mode the emulator started with.
   */
  reset(): void {
    const { world, options } = this.server;
    Object.assign(world.timing, this.initial.timing);
    this.server.rate.limit = { ...this.initial.rateLimit };
    options.quirks = this.initial.quirks;
    if (this.initial.goneAs403 === undefined) delete options.goneAs403;
    else options.goneAs403 = this.initial.goneAs403;
    Object.assign(this.server.tokens.lifetimes, this.initial.oauth);
    const tokens = this.server.tokens;
    tokens.clear();
    tokens.identityPools.clear();
    for (const pool of options.oauth.identityPools) tokens.identityPools.add(pool);
    tokens.clients.clear();
    for (const c of options.oauth.clients) tokens.clients.set(c.clientId, c.clientSecret);
    world.clearConnections();
    world.environments.clear();
    world.attachments.clear();
    world.seed(options.environments, options.privateLinkAttachments);
    this.server.faults.clear();
    this.server.dropLateRequests();
    this.server.log.length = 0;
    this.server.rate.reset();
  }

  info(): Json {
    const { options, world, rate } = this.server;
    return {
      url: this.server.url,
      environments: [...world.environments],
      privateLinkAttachments: [...world.attachments.values()].map((a) => ({ ...a })), // copies: callers must not edit the world
      timing: { ...world.timing },
      rateLimit: { ...rate.limit },
      quirks: options.quirks,
      goneAs403: goneAs403Of(options),
      oauth: this.oauth(),
    };
  }

  // ---- HTTP routes --------------------------------------------------------------------------------------

  handle(method: string, path: string, query: URLSearchParams, text: string): ApiResponse {
    try {
      const body = text === "" ? {} : parse(text);
      const result = this.route(method, path, query, body);
      return result === undefined ? { status: 204, headers: {} } : { status: 200, headers: {}, body: result };
    } catch (e) {
      if (e instanceof ControlError) return failure(e.status, "emulator_control", e.message);
      // Never let a control request take the server down (it is answered from an un-awaited promise).
      return failure(500, "emulator_control", `control request failed: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private route(method: string, path: string, query: URLSearchParams, body: Json): unknown {
    const parts = path.split("/").filter(Boolean);
    const [head, id, action] = parts;
    if (parts.length > 3) throw new ControlError(404, `no control route ${method} /_emulator${path}; see the README's emulator section`);
    const key = `${method} ${head ?? ""}${id === undefined ? "" : "/:id"}${action === undefined ? "" : `/${action}`}`;
    switch (key) {
      case "GET health": return { ok: true };
      case "GET info": return this.info();
      case "POST reset": return this.reset();
      case "POST config": return this.configure(body), this.info();
      case "GET faults": return this.faults();
      case "POST faults": return this.injectFault(body as FaultSpec);
      case "DELETE faults": return this.clearFaults();
      case "GET late": return this.lateRequests();
      case "POST late/:id": if (id === "apply") return this.applyLateRequests(); break;
      case "GET requests": return this.requests();
      case "DELETE requests": return this.clearRequests();
      case "GET requests/:id": if (id === "counts") return this.counts(); break;
      case "GET connections": return this.connections();
      case "POST connections": return this.seedConnection(body);
      case "GET connections/:id": return this.connection(id!) ?? notFound(id!);
      case "DELETE connections/:id": return this.deleteConnection(id!, { graceful: query.get("graceful") === "true" });
      case "POST connections/:id/phase":
        return this.setPhase(id!, body.phase as string | null, { errorCode: body.error_code as string | undefined, errorMessage: body.error_message as string | undefined });
      case "POST connections/:id/hold": return this.hold(id!, (body.hold ?? true) as boolean);
      case "POST connections/:id/rename": return this.rename(id!, (body.display_name ?? null) as string | null);
      case "POST environments": return this.addEnvironment(body.id as string);
      case "POST attachments": return this.addAttachment(body as unknown as AttachmentSeed);
      case "GET oauth": return this.oauth();
      case "POST oauth/:id": if (id === "revoke") return this.revokeTokens((body.tokens ?? "all") as "external" | "sts" | "all"); break;
      case "POST identity-pools": return this.addIdentityPool(body.id as string);
      case "POST oauth-clients": return this.addOAuthClient(body.clientId as string, body.clientSecret as string);
    }
    throw new ControlError(404, `no control route ${method} /_emulator${path}; see the README's emulator section`);
  }

  private find(id: string): ConnectionRecord {
    const c = this.server.world.get(id);
    if (!c) notFound(id);
    return c;
  }

  private view(c: ConnectionRecord): ConnectionView {
    const world = this.server.world;
    const view: ConnectionView = {
      id: c.id,
      environmentId: c.environmentId,
      privateLinkAttachmentId: c.attachmentId,
      cloud: c.endpoint.cloud,
      endpointId: endpointIdOf(c.endpoint),
      phase: world.phaseOf(c),
      createdAt: new Date(c.createdAt).toISOString(),
      readyAt: c.held ? null : new Date(c.readyAt).toISOString(),
      readyAtMs: c.held ? null : c.readyAt,
      held: c.held,
      body: renderConnection(this.server.renderContext(), c),
    };
    if (c.displayName !== undefined) view.displayName = c.displayName;
    if (c.forced) view.forcedPhase = c.forced.phase;
    if (c.deletedAt !== undefined) view.deletedAt = new Date(c.deletedAt).toISOString();
    return view;
  }
}

function notFound(id: string): never {
  throw new ControlError(404, `no connection ${id}`);
}

function parse(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // fall through
  }
  throw new ControlError(400, "control requests take a JSON object body");
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function checkConfig(change: unknown): void {
  if (!isObject(change)) throw new ControlError(400, "a configuration change is an object");
  const unknown = Object.keys(change).filter((k) => !["timing", "rateLimit", "quirks", "goneAs403", "oauth"].includes(k));
  if (unknown.length > 0) throw new ControlError(400, `unknown configuration field(s) ${unknown.join(", ")}; use timing, rateLimit, quirks, goneAs403, oauth`);
  const { timing, rateLimit, quirks, goneAs403, oauth } = change;
  if (oauth !== undefined) {
    if (!isObject(oauth)) throw new ControlError(400, "oauth must be an object");
    const extra = Object.keys(oauth).filter((k) => k !== "externalTokenLifetimeSeconds" && k !== "stsTokenLifetimeSeconds");
    if (extra.length > 0) throw new ControlError(400, `unknown oauth field(s) ${extra.join(", ")}; use externalTokenLifetimeSeconds, stsTokenLifetimeSeconds`);
    try {
      assertLifetimes(oauth);
    } catch (e) {
      throw new ControlError(400, (e as Error).message.replace(/^emulator: /, ""));
    }
  }
  if (timing !== undefined) {
    if (!isObject(timing)) throw new ControlError(400, "timing must be an object");
    for (const [k, v] of Object.entries(timing)) {
      if (k !== "provisioningMs" && k !== "deprovisioningMs") throw new ControlError(400, `unknown timing field ${k}; use provisioningMs, deprovisioningMs`);
      if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) throw new ControlError(400, `timing.${k} must be a number of milliseconds >= 0`);
    }
  }
  if (rateLimit !== undefined) {
    if (!isObject(rateLimit)) throw new ControlError(400, "rateLimit must be an object");
    const { requests, windowMs } = rateLimit;
    if (typeof requests !== "number" || !Number.isInteger(requests) || requests < 1 || typeof windowMs !== "number" || !Number.isFinite(windowMs) || windowMs < 1) {
      throw new ControlError(400, "rateLimit needs requests >= 1 (whole) and windowMs >= 1");
    }
  }
  if (quirks !== undefined && typeof quirks !== "boolean") throw new ControlError(400, "quirks must be true or false");
  if (goneAs403 !== undefined && goneAs403 !== null && typeof goneAs403 !== "boolean") {
    throw new ControlError(400, "goneAs403 must be true, false or null (follow quirks mode)");
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
