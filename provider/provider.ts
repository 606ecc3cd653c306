// The dynamic provider: Pulumi's check/diff/create/read/update/delete for a private link attachment connection.
//
// The provider object is serialized into every resource's state and revived in the dynamic-provider process,
// so it holds nothing: credentials are read at call time, from the stack config `configure` received (kept in
// a process-global slot, never on the object) or from the environment.
import { AsyncLocalStorage } from "node:async_hooks";
import type * as pulumi from "@pulumi/pulumi";
import { systemClock, type Clock } from "./clock";
import { connect } from "./connect";
import { Deadline } from "./deadline";
import { isGone } from "./gone";
import { OPERATION_LABELS, type ApiError } from "./http/api-error";
import type { ConfluentClient } from "./http/client";
import { resolveTimeouts } from "./inputs";
import { waitForGone, waitForReady, type PollPolicy, type WaitError } from "./lifecycle";
import {
  apiVisibleInputs, endpointOf, isRecord, sameEndpoint, toCreateRequest, toUpdateRequest,
  type Connection, type ConnectionInputs, type ConnectionState,
} from "./model";
import * as preview from "./preview";
import { logToEngine, type Level } from "./progress";

/**
 * The process-global slot `configure` fills. Looked up at call time, never held in a module-level constant: the
 * closure serializer cannot copy a Symbol (it emits `Object.create(Symbol.prototype)`, which throws when used as a
 * property key), so a captured symbol would break `configure` in the dynamic-provider process.
 */
function configSlot(): symbol {
  return Symbol.for("pulumi-confluent-plattc/stack-config");
}
// `confluentcloud:oauth` is an object in the stack config; the engine hands it over as JSON text, like any
// structured config value, and credentials.ts parses it.
const CONFIG_KEYS = ["confluentcloud:cloudApiKey", "confluentcloud:cloudApiSecret", "confluentcloud:endpoint", "confluentcloud:accessToken", "confluentcloud:oauth"];
/** Inputs that only steer the provider: kept in outputs so read can hand them back as inputs. */
const STEERING_KEYS = ["timeouts", "adoptExisting", "__urn"] as const;
const PROVIDER_KEY = "__provider";
const RECONCILE_TIMEOUT_MS = 2 * 60_000;
/** A refresh has no timeout of its own among the resource's `timeouts`; this bounds its read (retries included). */
export const READ_TIMEOUT_MS = 5 * 60_000;

type Props = Record<string, unknown>;

export interface ConnectionOutputs extends ConnectionState {
  timeouts?: ConnectionInputs["timeouts"];
  adoptExisting?: boolean;
}

function stackConfig(): Record<string, unknown> | undefined {
  return (globalThis as Record<symbol, Record<string, unknown> | undefined>)[configSlot()];
}

/** For tests and benchmarks; users construct the provider with no arguments. */
export interface ProviderOptions {
  /** Time source of the waits (a benchmark may scale it together with the emulator's). */
  clock?: Clock;
  pollPolicy?: PollPolicy;
  /** Per-attempt HTTP timeout (default 30 s). */
  attemptTimeoutMs?: number;
  /** Where progress lines and warnings go (default: the engine, on the resource's row). */
  log?: (level: Level, line: string) => void;
}

function steering(props: Props): Props {
  const out: Props = {};
  for (const key of STEERING_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out;
}

function outputsOf(state: ConnectionState, inputs: Props): ConnectionOutputs {
  return { ...steering(inputs), ...state };
}

function isApiError(e: unknown, status?: number): e is ApiError {
  return isRecord(e) && typeof e.operation === "string" && (status === undefined || e.status === status);
}

/**
 * The engine records a connection that exists but did not become READY (an "init error"): it stays in state
 * and the next `up` calls update, which resumes the wait. Plain Error + fields: the serializer mangles Error subclasses.
 */
function initError(id: string, message: string, properties: Props, reasons: string[] = [message]): Error {
  return Object.assign(new Error(message), { id, properties, reasons });
}

function endpointLabel(inputs: ConnectionInputs): string {
  const endpoint = endpointOf(inputs);
  return endpoint ? `${endpoint.cloud} endpoint ${endpoint.id}` : "endpoint";
}

export class PrivateLinkAttachmentConnectionProvider implements pulumi.dynamic.ResourceProvider {
  private readonly options: ProviderOptions;
  /** The URN of the resource the current hook serves, for its progress lines. */
  private readonly resource: AsyncLocalStorage<string>;

  // Fields are assigned here, not initialised in their declarations: the closure serializer (the provider used
  // from source) drops field initialisers.
  constructor(options: ProviderOptions = {}) {
    this.options = options;
    this.resource = new AsyncLocalStorage<string>();
  }

  /** Runs one hook with its resource's URN (the `__urn` input or output) at hand. */
  forResource<T>(props: unknown, hook: () => Promise<T>): Promise<T> {
    const urn = isRecord(props) && typeof props.__urn === "string" ? props.__urn : undefined;
    return urn === undefined ? hook() : this.resource.run(urn, hook);
  }

  private client(deadline: Deadline): ConfluentClient {
    return connect(stackConfig(), deadline, {
      attemptTimeoutMs: this.options.attemptTimeoutMs,
      now: this.options.clock ? () => this.now() : undefined,
      log: (line) => this.log("debug", line),
    });
  }

  /** One per operation, for its requests and its waits alike. */
  private deadline(ms: number): Deadline {
    return Deadline.after(ms, this.options.clock);
  }

  private log(level: Level, line: string): void {
    if (this.options.log) this.options.log(level, line);
    else logToEngine(level, line, this.resource.getStore());
  }

  /** A line for the resource's row; `lasting` ones (a new phase, a decision) are kept in its diagnostics too. */
  private progress(line: string, lasting = true): void {
    if (this.options.log) return this.options.log("info", line);
    const urn = this.resource.getStore();
    logToEngine("info", line, urn, !lasting);
  }

  private now(): number {
    return (this.options.clock ?? systemClock).now();
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const values: Record<string, unknown> = {};
    for (const key of CONFIG_KEYS) {
      const value: unknown = req.config.get(key);
      if (value !== undefined && value !== "") values[key] = value;
    }
    (globalThis as Record<symbol, unknown>)[configSlot()] = values;
  }

  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return preview.check(olds, news);
  }

  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return preview.diff(id, olds, news);
  }

  async create(news: Props): Promise<pulumi.dynamic.CreateResult> {
    const inputs = news as unknown as ConnectionInputs;
    const timeouts = resolveTimeouts(inputs.timeouts);
    const deadline = this.deadline(timeouts.createMs);
    const api = this.client(deadline);
    const { id, adopted } = await this.post(api, inputs, news, deadline);
    const state = await this.settle(api, id, inputs, news, deadline, "timeouts.create");
    if (adopted && (state.displayName ?? "") !== (inputs.displayName ?? "")) {
      const renamed = (await this.patch(api, id, inputs, news, state, `timeouts.create = ${describeTimeout(news, "create")}`)).state;
      return { id, outs: outputsOf(renamed, news) };
    }
    return { id, outs: outputsOf(state, news) };
  }

  async read(id: string, props: Props = {}): Promise<pulumi.dynamic.ReadResult> {
    const { connectionId, environmentId } = locate(id, props);
    const api = this.client(this.deadline(READ_TIMEOUT_MS));
    let state: ConnectionState;
    try {
      ({ state } = await api.getConnection(connectionId, environmentId));
    } catch (e) {
      if (await this.gone(api, connectionId, environmentId, attachmentOf(props))(e)) return {};
      throw e;
    }
    if (state.phase !== "READY") {
      const why = [state.errorCode, state.errorMessage].filter(Boolean).join(": ");
      this.log("warn", `${connectionId} is ${state.phase}${why ? ` (${why})` : ""}`);
    }
    const kept = steering(props);
    return { id: connectionId, props: { ...kept, ...state }, inputs: { ...kept, ...apiVisibleInputs(state) } };
  }

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = news as unknown as ConnectionInputs;
    const timeouts = resolveTimeouts(inputs.timeouts);
    const old = olds as unknown as Partial<ConnectionOutputs>;
    let state: ConnectionState | undefined;
    if (old.phase === undefined || old.phase === "PROVISIONING" || old.phase === "FAILED") {
      // A create (or earlier update) that did not reach READY: resume waiting with a fresh create deadline.
      // Only then: a connection that was READY and later went DISCONNECTED (or to a future phase) will not
      // come back by waiting, and waiting would make every rename of it fail.
      const deadline = this.deadline(timeouts.createMs);
      const api = this.client(deadline);
      try {
        state = await this.settle(api, id, inputs, news, deadline, "timeouts.create");
      } catch (e) {
        if ((e as Partial<WaitError>).reason === "gone") throw deletedOutsidePulumi(id, e);
        throw e;
      }
    }
    const currentName = state ? state.displayName : old.displayName;
    if ((currentName ?? "") === (inputs.displayName ?? "")) {
      if (state) return { outs: outputsOf(state, news) };
      const { [PROVIDER_KEY]: _provider, timeouts: _timeouts, adoptExisting: _adopt, __urn: _urn, ...unchanged } = olds;
      return { outs: { ...steering(news), ...unchanged } };
    }
    const api = this.client(this.deadline(timeouts.updateMs));
    const updated = await this.patch(api, id, inputs, news, state ?? (old as ConnectionState), `timeouts.update = ${describeTimeout(news, "update")}`);
    return { outs: outputsOf(updated.state, news) };
  }

  async delete(id: string, props: Props): Promise<void> {
    const { connectionId, environmentId } = locate(id, props);
    const timeouts = resolveTimeouts(props.timeouts);
    const deadline = this.deadline(timeouts.deleteMs);
    const api = this.client(deadline);
    const gone = this.gone(api, connectionId, environmentId, attachmentOf(props));
    try {
      await api.deleteConnection(connectionId, environmentId);
    } catch (e) {
      if (await gone(e)) return;
      throw e;
    }
    await waitForGone({
      reader: api, id: connectionId, environmentId, deadline, deadlineSource: `timeouts.delete = ${describeTimeout(props, "delete")}`,
      log: (line, changed) => this.progress(line, changed), policy: this.options.pollPolicy, isGone: gone,
      operation: OPERATION_LABELS.delete,
    });
  }

  // ---- steps ---------------------------------------------------------------------------------------------

  /** POST, never twice for the same endpoint: an ambiguous failure is reconciled by listing before any retry. */
  private async post(api: ConfluentClient, inputs: ConnectionInputs, news: Props, deadline: Deadline): Promise<{ id: string; adopted: boolean }> {
    const label = endpointLabel(inputs);
    let waitedForDeletion = 0;
    // Set once a request of ours failed in a way that may have been applied: it may still be, later than the
    // reconciliation list that found nothing (a slow backend), and then the next POST meets it as a 409.
    let oursMayLandLate = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await api.createConnection(toCreateRequest(inputs));
        return { id: created.connection.id, adopted: false };
      } catch (e) {
        if (isApiError(e, 409)) {
          // After a request of ours may have been applied, the connection this 409 names may be the one it made: that is
          // looked at with a time limit of its own (like the reconciliation list), so a create deadline passing
          // meanwhile cannot lose it.
          const lookup = oursMayLandLate ? this.reconciler() : api;
          const existing = idFromLocation(e.location) ?? (await this.findByEndpoint(lookup, inputs));
          const current = existing ? await this.currentState(lookup, existing, inputs) : undefined;
          // The endpoint is still held by a connection that is being deleted (e.g. deleted outside the program
          // just before): neither adopting it nor failing is right; create once it is gone.
          if (existing && waitedForDeletion < 3 && (current === "gone" || current?.phase === "DEPROVISIONING")) {
            waitedForDeletion++;
            this.progress(`${label} is still attached by ${existing}, which is being deleted: waiting until it is gone to create the new connection`);
            await waitForGone({
              reader: api, id: existing, environmentId: inputs.environment.id, deadline, deadlineSource: `timeouts.create = ${describeTimeout(news, "create")}`,
              log: (line, changed) => this.progress(line, changed), policy: this.options.pollPolicy,
              isGone: this.gone(api, existing, inputs.environment.id, inputs.privateLinkAttachment.id),
            });
            continue;
          }
          if (existing && oursMayLandLate && current !== undefined && current !== "gone" && isMadeFrom(current, inputs)) {
            this.progress(`${existing}: the earlier create request for ${label} failed in transit and was applied late; this is the connection it made, continuing with it`);
            return { id: existing, adopted: false };
          }
          if (inputs.adoptExisting === true && existing) {
            this.progress(`${existing}: adopting the existing connection for ${label} (adoptExisting)`);
            return { id: existing, adopted: true };
          }
          throw new Error(
            `${label} is already connected to ${inputs.privateLinkAttachment.id}${existing ? ` by ${existing}` : ""}. `
            + `Set adoptExisting: true on this resource to manage that connection from this program, or delete it first. (${e.message})`,
          );
        }
        if (!isApiError(e) || !e.ambiguous) throw e;
        oursMayLandLate = true;
        // Accepted with an unreadable body: its Location names the new connection, no need to search.
        const accepted = e.status !== undefined && e.status >= 200 && e.status < 300 ? idFromLocation(e.location) : undefined;
        // Possibly created: look before anything else, even when the create deadline has just passed.
        const found = accepted ?? (await this.findByEndpoint(this.reconciler(), inputs));
        if (found) {
          this.progress(`${found}: the create request failed in transit but the connection was created; continuing with it`);
          return { id: found, adopted: false };
        }
        if (deadline.passed()) {
          throw new Error(
            `${e.message}. No connection for ${label} was found afterwards, but the API may still apply the request: `
            + `if the next \`pulumi up\` reports that the endpoint is already connected, set adoptExisting: true to manage that connection.`,
          );
        }
        if (attempt >= 3) throw e;
        this.progress(`create for ${label} failed in transit and created nothing (checked); sending it again`);
      }
    }
  }

  /**
   * A client for finding out whether a create that got no usable answer created something. It has its own time
   * limit: a POST cut off by the create deadline may still have created the connection, and that must be found
   * and recorded rather than lost.
   */
  private reconciler(): ConfluentClient {
    return this.client(this.deadline(RECONCILE_TIMEOUT_MS));
  }

  /** Whether a failed request on this connection means it is gone (404, or a 403 the list confirms: gone.ts). */
  private gone(api: ConfluentClient, connectionId: string, environmentId: string, privateLinkAttachmentId?: string): (error: unknown) => Promise<boolean> {
    return (error) => isGone(api, error, { connectionId, environmentId, privateLinkAttachmentId, log: (line) => this.progress(line) });
  }

  /** The connection a 409 names, as it is now: "gone" once it no longer exists (it may be being deleted). */
  private async currentState(api: ConfluentClient, id: string, inputs: ConnectionInputs): Promise<ConnectionState | "gone"> {
    try {
      return (await api.getConnection(id, inputs.environment.id)).state;
    } catch (e) {
      if (await this.gone(api, id, inputs.environment.id, inputs.privateLinkAttachment.id)(e)) return "gone";
      throw e;
    }
  }

  private async findByEndpoint(api: ConfluentClient, inputs: ConnectionInputs): Promise<string | undefined> {
    const wanted = endpointOf(inputs);
    const items = await api.listConnections({ environmentId: inputs.environment.id, privateLinkAttachmentId: inputs.privateLinkAttachment.id });
    for (const { id, state } of items) {
      if (wanted && sameEndpoint(endpointOf(state), wanted) && state.phase !== "DEPROVISIONING") return id;
    }
    return undefined;
  }

  /** Waits for READY; anything short of it keeps the connection in state as an init error. */
  private async settle(api: ConfluentClient, id: string, inputs: ConnectionInputs, news: Props, deadline: Deadline, source: string): Promise<ConnectionState> {
    try {
      const { state } = await waitForReady({
        reader: api, id, environmentId: inputs.environment.id, deadline,
        deadlineSource: `${source} = ${describeTimeout(news, "create")}`, log: (line, changed) => this.progress(line, changed),
        operation: OPERATION_LABELS.create,
        policy: this.options.pollPolicy, isGone: this.gone(api, id, inputs.environment.id, inputs.privateLinkAttachment.id),
      });
      return state;
    } catch (e) {
      const wait = e as Partial<WaitError>;
      if (wait.reason === "gone") throw e;
      const last = wait.state;
      const properties: Props = { ...steering(news), ...(last ?? pendingState(inputs)), [PROVIDER_KEY]: news[PROVIDER_KEY] };
      const reasons = [(e as Error).message];
      if (last?.errorCode) reasons.push(`error_code: ${last.errorCode}`);
      if (last?.errorMessage) reasons.push(`error_message: ${last.errorMessage}`);
      reasons.push("The connection is kept in the stack; the next `pulumi up` resumes waiting for it.");
      throw initError(id, (e as Error).message, properties, reasons);
    }
  }

  /** `deadlineSource` names the timeout that bounds the PATCH (its client's deadline), e.g. `timeouts.update = 5m`. */
  private async patch(api: ConfluentClient, id: string, inputs: ConnectionInputs, news: Props, current: ConnectionState, deadlineSource: string): Promise<Connection> {
    try {
      return await api.updateConnection(id, toUpdateRequest(inputs));
    } catch (e) {
      // A 403 the list does not confirm as "gone" comes back as an error of its own, which is kept like any other.
      let failure = e;
      const gone = await this.gone(api, id, inputs.environment.id, inputs.privateLinkAttachment.id)(e).catch((refused: unknown) => {
        failure = refused;
        return false;
      });
      if (gone) throw deletedOutsidePulumi(id, e);
      const message = isApiError(failure) && failure.code === "DEADLINE_EXCEEDED" ? `${failure.message} (${deadlineSource} passed)` : (failure as Error).message;
      // The connection exists: keep it in state as it was.
      throw initError(id, message, { ...steering(news), ...current, [PROVIDER_KEY]: news[PROVIDER_KEY] });
    }
  }
}

/** What update says about a connection that no longer exists: nothing to rename, the stack must forget it. */
function deletedOutsidePulumi(id: string, cause: unknown): Error {
  return new Error(
    `${id} was deleted outside Pulumi (${(cause as Error)?.message ?? String(cause)}). `
    + "Run `pulumi refresh` to remove it from the stack; the next `pulumi up` then creates it again.",
  );
}

/**
 * Whether a connection is what a create request with these inputs makes: same environment, attachment, endpoint and
 * display name. One someone else made for the endpoint meanwhile is told apart by its name; one with the very same
 * name cannot be told apart, and is taken for ours.
 */
function isMadeFrom(state: ConnectionState, inputs: ConnectionInputs): boolean {
  return state.environment.id === inputs.environment.id
    && state.privateLinkAttachment.id === inputs.privateLinkAttachment.id
    && sameEndpoint(endpointOf(state), endpointOf(inputs))
    && (state.displayName ?? "") === (inputs.displayName ?? "");
}

function attachmentOf(props: Props): string | undefined {
  const id = isRecord(props.privateLinkAttachment) ? props.privateLinkAttachment.id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

function pendingState(inputs: ConnectionInputs): ConnectionState {
  const { timeouts: _t, adoptExisting: _a, ...visible } = inputs;
  return { ...visible, phase: "PROVISIONING" };
}

function describeTimeout(props: Props, which: "create" | "update" | "delete"): string {
  const t = props.timeouts;
  const given = isRecord(t) && typeof t[which] === "string" ? (t[which] as string) : undefined;
  return given ?? "2h (default)";
}

function idFromLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  try {
    const last = new URL(location, "https://api.confluent.cloud").pathname.split("/").filter(Boolean).pop();
    return last && last !== "private-link-attachment-connections" ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

/** The id may carry its environment (`env-…/plattc-…`, like Terraform's import id) when state has none. */
function locate(id: string, props: Props): { connectionId: string; environmentId: string } {
  const slash = id.indexOf("/");
  if (slash > 0) return { environmentId: id.slice(0, slash), connectionId: id.slice(slash + 1) };
  const env = isRecord(props.environment) ? props.environment.id : undefined;
  if (typeof env !== "string" || env === "") {
    throw new Error(`cannot locate ${id}: its environment is unknown; pass the id as "env-…/${id}" or set environment.id in the resource args`);
  }
  return { connectionId: id, environmentId: env };
}
