// Test control over the emulator's state: faults, drift, lifecycle, OAuth, settings and the request log. Tests use it
// in-process through the handle startEmulator returns; control-routes.ts serves the same operations under /_emulator.
import type { AttachmentRecord } from "./attachment-state";
import { attachmentView, seedOf, type AttachmentView } from "./attachment-view";
import type { EmulatorContext, SettingsChange } from "./context";
import { connectionView, type ConnectionView } from "./connection-view";
import type { Fault, FaultSpec } from "./faults";
import type { LateRequest } from "./late";
import { IDP_TOKEN_PATH, type OAuthStats } from "./oauth";
import { assertLifetimes, type AttachmentSeed, type OAuthLifetimes } from "./options";
import type { LoggedRequest, RequestCounts } from "./request-log";
import type { ConnectionRecord, ForcedPhase } from "./state";
import { BodyError, seedFromBody } from "./wire";

type Json = Record<string, unknown>;

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
  constructor(private readonly context: EmulatorContext) {}

  // ---- OAuth --------------------------------------------------------------------------------------------

  /** The identity provider's token URL, the pools, the client ids (never a secret), lifetimes and token counts. */
  oauth(): OAuthView {
    const tokens = this.context.tokens;
    return {
      tokenUrl: `${this.context.url}${IDP_TOKEN_PATH}`,
      identityPools: [...tokens.identityPools],
      clientIds: [...tokens.clients.keys()],
      ...tokens.lifetimes,
      ...tokens.stats(),
    };
  }

  /** Revokes the tokens issued so far: the STS's (the API refuses them), the identity provider's (the STS refuses them), or all. */
  revokeTokens(which: "external" | "sts" | "all" = "all"): { revoked: number } {
    if (!["external", "sts", "all"].includes(which)) throw new ControlError(400, "tokens must be external, sts or all");
    return { revoked: this.context.tokens.revoke(which) };
  }

  /** In-process only, never over HTTP: the tokens issued so far, for tests that prove none leaks. */
  issuedTokens(): { external: string[]; sts: string[] } {
    return this.context.tokens.values();
  }

  addIdentityPool(id: string): void {
    if (typeof id !== "string" || id === "") throw new ControlError(400, "identity pool id must be a non-empty string");
    this.context.tokens.identityPools.add(id);
  }

  addOAuthClient(clientId: string, clientSecret: string): void {
    if (typeof clientId !== "string" || clientId === "" || typeof clientSecret !== "string" || clientSecret === "") {
      throw new ControlError(400, "an OAuth client needs a non-empty clientId and clientSecret");
    }
    this.context.tokens.clients.set(clientId, clientSecret);
  }

  // ---- faults, late requests and the request log ---------------------------------------------------------

  injectFault(spec: FaultSpec): Fault {
    try {
      return this.context.faults.add(spec);
    } catch (e) {
      throw new ControlError(400, (e as Error).message);
    }
  }

  faults(): Fault[] {
    return this.context.faults.list();
  }

  clearFaults(): void {
    this.context.faults.clear();
  }

  /** Requests a fault with `applyAfterMs` answered and has not applied yet. */
  lateRequests(): LateRequest[] {
    return this.context.late.list();
  }

  /** Applies those requests now (instead of after their applyAfterMs), in arrival order. */
  applyLateRequests(): { seq: number; status: number }[] {
    return this.context.late.applyAll();
  }

  requests(): LoggedRequest[] {
    return this.context.log.list();
  }

  counts(): RequestCounts {
    return this.context.log.counts();
  }

  clearRequests(): void {
    this.context.log.clear();
  }

  // ---- connections and the world ------------------------------------------------------------------------

  connections(): ConnectionView[] {
    return this.context.world.all().map((c) => this.view(c));
  }

  connection(id: string): ConnectionView | undefined {
    const c = this.context.world.get(id);
    return c && this.view(c);
  }

  /**
   * In-process only: calls `listener` with each connection a create makes, as the create is applied and before it
   * is answered, so a test can hold, fail or delete it before the client knows its id (no race with the clock).
   * Returns the function that stops the calls.
   */
  onCreated(listener: (view: ConnectionView) => void): () => void {
    const listeners = this.context.world.createdListeners;
    const call = (c: ConnectionRecord): void => listener(this.view(c));
    listeners.add(call);
    return () => void listeners.delete(call);
  }

  /** Force a phase (FAILED and DISCONNECTED carry an error code and message); null returns it to the clock. */
  setPhase(id: string, phase: string | null, error?: { errorCode?: string; errorMessage?: string }): ConnectionView {
    const c = this.find(id);
    checkPhase(phase, error);
    this.context.world.force(c, phase === null ? undefined : forcedPhase(phase, error));
    return this.view(c);
  }

  /** Keep a connection in PROVISIONING until released. */
  hold(id: string, held = true): ConnectionView {
    const c = this.find(id);
    if (typeof held !== "boolean") throw new ControlError(400, "hold must be a boolean");
    this.context.world.hold(c, held);
    return this.view(c);
  }

  /** Rename out-of-band (drift), as if done in the Confluent Cloud console. */
  rename(id: string, displayName: string | null): ConnectionView {
    const c = this.find(id);
    if (displayName !== null && displayName !== undefined && typeof displayName !== "string") throw new ControlError(400, "display_name must be a string or null");
    this.context.world.rename(c, displayName ?? undefined);
    return this.view(c);
  }

  /** Delete out-of-band: gone at once, or through DEPROVISIONING when graceful. */
  deleteConnection(id: string, options: { graceful?: boolean } = {}): void {
    const c = this.find(id);
    if (options.graceful) this.context.world.markDeleted(c);
    else this.context.world.removeNow(c.id);
  }

  /** Put a connection body (e.g. a recorded response) into the emulator through the quirk-tolerant reader. */
  seedConnection(body: unknown): ConnectionView {
    try {
      return this.view(seedFromBody(this.context.world, body));
    } catch (e) {
      if (e instanceof BodyError) throw new ControlError(400, e.message);
      throw e;
    }
  }

  addEnvironment(id: string): void {
    if (typeof id !== "string" || id === "") throw new ControlError(400, "environment id must be a non-empty string");
    this.context.world.environments.add(id);
  }

  addAttachment(seed: AttachmentSeed): void {
    if (typeof seed?.id !== "string" || typeof seed.environmentId !== "string" || typeof seed.region !== "string" || !["AWS", "AZURE", "GCP"].includes(seed.cloud)) {
      throw new ControlError(400, "an attachment needs id, environmentId, region and cloud (AWS, AZURE or GCP)");
    }
    this.context.world.seed([seed.environmentId], [seed]);
  }

  // ---- attachments ----------------------------------------------------------------------------------------

  attachments(): AttachmentView[] {
    return this.context.world.allAttachments().map((a) => this.attachmentView(a));
  }

  attachment(id: string): AttachmentView | undefined {
    const a = this.context.world.getAttachment(id);
    return a && this.attachmentView(a);
  }

  /**
   * In-process only: calls `listener` with each attachment a create makes, as the create is applied and before it
   * is answered (see onCreated). Returns the function that stops the calls.
   */
  onAttachmentCreated(listener: (view: AttachmentView) => void): () => void {
    const listeners = this.context.world.attachmentCreatedListeners;
    const call = (a: AttachmentRecord): void => listener(this.attachmentView(a));
    listeners.add(call);
    return () => void listeners.delete(call);
  }

  /** Force a phase (FAILED carries an error code and message by default); null returns it to the clock. */
  setAttachmentPhase(id: string, phase: string | null, error?: { errorCode?: string; errorMessage?: string }): AttachmentView {
    const a = this.findAttachment(id);
    checkPhase(phase, error);
    this.context.world.forceAttachment(a, phase === null ? undefined : forcedPhase(phase, error, ATTACHMENT_PHASE_ERRORS));
    return this.attachmentView(a);
  }

  /** Keep an attachment in PROVISIONING until released (it does not expire while held). */
  holdAttachment(id: string, held = true): AttachmentView {
    const a = this.findAttachment(id);
    if (typeof held !== "boolean") throw new ControlError(400, "hold must be a boolean");
    this.context.world.holdAttachment(a, held);
    return this.attachmentView(a);
  }

  /** Rename out-of-band (drift). */
  renameAttachment(id: string, displayName: string | null): AttachmentView {
    const a = this.findAttachment(id);
    if (displayName !== null && displayName !== undefined && typeof displayName !== "string") throw new ControlError(400, "display_name must be a string or null");
    this.context.world.renameAttachment(a, displayName ?? undefined);
    return this.attachmentView(a);
  }

  /** Delete out-of-band, with its connections: gone at once, or through DEPROVISIONING when graceful. */
  deleteAttachment(id: string, options: { graceful?: boolean } = {}): void {
    const a = this.findAttachment(id);
    if (options.graceful) this.context.world.markAttachmentDeleted(a, true);
    else this.context.world.removeAttachmentNow(a.id);
  }

  // ---- settings ------------------------------------------------------------------------------------------

  /**
   * Changes timing, rate limit, quirks mode and goneAs403 (null: follow quirks mode again); all or nothing (an
   * invalid change changes nothing).
   */
  configure(change: SettingsChange): void {
    checkConfig(change);
    this.context.configure(change);
  }

  /** Back to the state right after start (see EmulatorContext.reset). */
  reset(): void {
    this.context.reset();
  }

  info(): Json {
    const { world, url } = this.context;
    const { oauth: _lifetimes, ...settings } = this.context.settings();
    return {
      url,
      environments: [...world.environments],
      privateLinkAttachments: world.allAttachments().map(seedOf), // copies: callers must not edit the world
      ...settings,
      oauth: this.oauth(),
    };
  }

  private find(id: string): ConnectionRecord {
    const c = this.context.world.get(id);
    if (!c) notFound(id);
    return c;
  }

  private view(c: ConnectionRecord): ConnectionView {
    return connectionView(this.context.renderContext(), c);
  }

  private findAttachment(id: string): AttachmentRecord {
    const a = this.context.world.getAttachment(id);
    if (!a) attachmentNotFound(id);
    return a;
  }

  private attachmentView(a: AttachmentRecord): AttachmentView {
    return attachmentView(this.context.renderContext(), a);
  }
}

export function notFound(id: string): never {
  throw new ControlError(404, `no connection ${id}`);
}

export function attachmentNotFound(id: string): never {
  throw new ControlError(404, `no private link attachment ${id}`);
}

function checkPhase(phase: unknown, error: { errorCode?: unknown; errorMessage?: unknown } | undefined): void {
  if (phase !== null && (typeof phase !== "string" || phase === "")) throw new ControlError(400, "phase must be a non-empty string or null");
  for (const [name, value] of Object.entries(error ?? {})) {
    if (value !== undefined && typeof value !== "string") throw new ControlError(400, `${name === "errorCode" ? "error_code" : "error_message"} must be a string`);
  }
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Refuses a configuration change that is not one (all or nothing: configure() checks before it changes). */
function checkConfig(change: unknown): void {
  if (!isObject(change)) throw new ControlError(400, "a configuration change is an object");
  const known = ["timing", "attachmentTiming", "attachmentDeletion", "rateLimit", "quirks", "goneAs403", "oauth"];
  const unknown = Object.keys(change).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new ControlError(400, `unknown configuration field(s) ${unknown.join(", ")}; use ${known.join(", ")}`);
  const { timing, attachmentTiming, attachmentDeletion, rateLimit, quirks, goneAs403, oauth } = change;
  if (oauth !== undefined) checkOAuthChange(oauth);
  if (timing !== undefined) checkTimingChange(timing);
  if (attachmentTiming !== undefined) checkTimingChange(attachmentTiming, "attachmentTiming", ["provisioningMs", "deprovisioningMs", "expiryMs"]);
  if (attachmentDeletion !== undefined && attachmentDeletion !== "conflict" && attachmentDeletion !== "cascade") {
    throw new ControlError(400, 'attachmentDeletion must be "conflict" or "cascade"');
  }
  if (rateLimit !== undefined) checkRateLimit(rateLimit);
  if (quirks !== undefined && typeof quirks !== "boolean") throw new ControlError(400, "quirks must be true or false");
  if (goneAs403 !== undefined && goneAs403 !== null && typeof goneAs403 !== "boolean") {
    throw new ControlError(400, "goneAs403 must be true, false or null (follow quirks mode)");
  }
}

function checkOAuthChange(oauth: unknown): void {
  if (!isObject(oauth)) throw new ControlError(400, "oauth must be an object");
  const extra = Object.keys(oauth).filter((k) => k !== "externalTokenLifetimeSeconds" && k !== "stsTokenLifetimeSeconds");
  if (extra.length > 0) throw new ControlError(400, `unknown oauth field(s) ${extra.join(", ")}; use externalTokenLifetimeSeconds, stsTokenLifetimeSeconds`);
  try {
    assertLifetimes(oauth);
  } catch (e) {
    throw new ControlError(400, (e as Error).message.replace(/^emulator: /, ""));
  }
}

function checkTimingChange(timing: unknown, name = "timing", fields = ["provisioningMs", "deprovisioningMs"]): void {
  if (!isObject(timing)) throw new ControlError(400, `${name} must be an object`);
  for (const [k, v] of Object.entries(timing)) {
    if (!fields.includes(k)) throw new ControlError(400, `unknown ${name} field ${k}; use ${fields.join(", ")}`);
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) throw new ControlError(400, `${name}.${k} must be a number of milliseconds >= 0`);
  }
}

function checkRateLimit(rateLimit: unknown): void {
  if (!isObject(rateLimit)) throw new ControlError(400, "rateLimit must be an object");
  const { requests, windowMs, headers, ...extra } = rateLimit;
  if (Object.keys(extra).length > 0) throw new ControlError(400, `unknown rateLimit field(s) ${Object.keys(extra).join(", ")}; use requests, windowMs, headers`);
  if (typeof requests !== "number" || !Number.isInteger(requests) || requests < 1 || typeof windowMs !== "number" || !Number.isFinite(windowMs) || windowMs < 1) {
    throw new ControlError(400, "rateLimit needs requests >= 1 (whole) and windowMs >= 1");
  }
  if (headers !== undefined && typeof headers !== "boolean") throw new ControlError(400, "rateLimit.headers must be true or false");
}

const PHASE_ERRORS = new Map<string, Omit<ForcedPhase, "phase">>([
  ["FAILED", { errorCode: "PROVISIONING_FAILED", errorMessage: "the private endpoint could not be connected (injected by the emulator)" }],
  ["DISCONNECTED", { errorCode: "ENDPOINT_DELETED", errorMessage: "the private endpoint of this connection was deleted (injected by the emulator)" }],
]);

const ATTACHMENT_PHASE_ERRORS = new Map<string, Omit<ForcedPhase, "phase">>([
  ["FAILED", { errorCode: "PROVISIONING_FAILED", errorMessage: "the private link attachment could not be provisioned (injected by the emulator)" }],
]);

/** A forced phase with the error given, else the phase's own default error (FAILED and DISCONNECTED have one). */
function forcedPhase(phase: string, error: { errorCode?: string; errorMessage?: string } = {}, defaults = PHASE_ERRORS): ForcedPhase {
  const forced: ForcedPhase = { phase, ...defaults.get(phase) };
  if (error.errorCode !== undefined) forced.errorCode = error.errorCode;
  if (error.errorMessage !== undefined) forced.errorMessage = error.errorMessage;
  return forced;
}
