// The dynamic provider: Pulumi's configure/check/diff/create/read/update/delete for a private link attachment
// connection. Each hook reads what it is given once (checked inputs, old state), makes one deadline for its
// requests and its waits, and hands typed results back.
//
// The dynamic-provider process makes one, through the handle each resource's state requires (handle.ts);
// `configure` runs on it there and the stack config stays on it, read when a client is made.
import { AsyncLocalStorage } from "node:async_hooks";
import type * as pulumi from "@pulumi/pulumi";
import type { Clock } from "./clock";
import { connect } from "./connect";
import { Creation, endpointLabel, type CreateContext } from "./create";
import { Deadline } from "./deadline";
import { phaseChange } from "./diff";
import { isGone } from "./gone";
import { isApiError, OPERATION_LABELS } from "./http/api-error";
import type { ConfluentClient } from "./http/client";
import { ServerClock } from "./http/server-clock";
import { DEFAULT_TIMEOUT, resolveTimeouts, storedTimeout, type CheckedInputs, type ResolvedTimeouts } from "./inputs";
import { WaitError, waitForGone, waitForReady, type PollPolicy, type WaitArgs, type WaitFailure } from "./lifecycle";
import { apiVisibleInputs, statusError, toUpdateRequest, type ConnectionInputs, type ConnectionState } from "./model";
import * as preview from "./preview";
import { logToEngine, type Level } from "./progress";
import { keptInState, outputsOf, parseState, pendingState, steeringOf, type ConnectionOutputs, type PriorState, type Steering } from "./state";

export type { ConnectionOutputs } from "./state";

// `confluentcloud:oauth` is an object in the stack config; the engine hands it over as JSON text, like any
// structured config value, and credentials.ts parses it.
const CONFIG_KEYS = ["confluentcloud:cloudApiKey", "confluentcloud:cloudApiSecret", "confluentcloud:endpoint", "confluentcloud:accessToken", "confluentcloud:oauth"];
const RECONCILE_TIMEOUT_MS = 2 * 60_000;
/** A refresh has no timeout of its own among the resource's `timeouts`; this bounds its read (retries included). */
const READ_TIMEOUT_MS = 5 * 60_000;

type Props = Record<string, unknown>;
type Timeout = "create" | "update" | "delete";

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

/** What refresh answers: the connection as the API has it, and as inputs, so out-of-band edits show as diffs. */
interface ReadAnswer {
  id?: string;
  props?: ConnectionOutputs;
  inputs?: ConnectionInputs & Steering;
}

export class PrivateLinkAttachmentConnectionProvider implements pulumi.dynamic.ResourceProvider {
  /** The URN of the resource the current hook serves, for its progress lines. */
  private readonly resource = new AsyncLocalStorage<string>();
  /** The stack config `configure` received, credentials among it. */
  private config: Props | undefined;

  constructor(private readonly options: ProviderOptions = {}) {}

  /** Runs one hook with its resource's URN (the `__urn` input or output) at hand. */
  forResource<T>(props: unknown, hook: () => Promise<T>): Promise<T> {
    const urn = (props as Props | undefined)?.__urn;
    return typeof urn === "string" ? this.resource.run(urn, hook) : hook();
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const values: Props = {};
    for (const key of CONFIG_KEYS) {
      const value: unknown = req.config.get(key);
      if (value !== undefined && value !== "") values[key] = value;
    }
    this.config = values;
  }

  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
    return preview.check(olds, news);
  }

  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return preview.diff(id, olds, news);
  }

  async create(news: CheckedInputs): Promise<pulumi.dynamic.CreateResult<ConnectionOutputs>> {
    const deadline = this.deadline(resolveTimeouts(news.timeouts).createMs);
    // What the create's answers tell of the API's clock: whether a connection is the one its POST made.
    const serverClock = new ServerClock();
    const api = this.client(deadline, serverClock);
    const { id, adopted } = await new Creation(this.createContext(api, deadline, news, serverClock), news).run();
    const state = await this.awaitReady(api, id, news, deadline);
    if (adopted && (state.displayName ?? "") !== (news.displayName ?? "")) {
      const renamed = await this.rename(api, id, news, state, `timeouts.create = ${describeTimeout(news, "create")}`);
      return { id, outs: outputsOf(renamed, news) };
    }
    return { id, outs: outputsOf(state, news) };
  }

  async read(id: string, props: Props = {}): Promise<ReadAnswer> {
    const prior = parseState(props);
    const { connectionId, environmentId } = locate(id, prior);
    const api = this.client(this.deadline(READ_TIMEOUT_MS));
    let state: ConnectionState;
    try {
      ({ state } = await api.getConnection(connectionId, environmentId));
    } catch (e) {
      if (await this.gone(api, connectionId, environmentId, prior.privateLinkAttachmentId)(e)) return {};
      throw e;
    }
    if (state.phase !== "READY" && state.phase !== "PROVISIONING") this.log("warn", notServing(connectionId, state, this.resource.getStore()));
    return { id: connectionId, props: { ...prior.steering, ...state }, inputs: { ...prior.steering, ...apiVisibleInputs(state) } };
  }

  async update(id: string, olds: Props, news: CheckedInputs): Promise<pulumi.dynamic.UpdateResult<ConnectionOutputs>> {
    const prior = parseState(olds);
    const timeouts = resolveTimeouts(news.timeouts);
    const state = await this.settledState(id, prior, news, timeouts);
    const currentName = state ? state.displayName : prior.recorded.displayName;
    if ((currentName ?? "") === (news.displayName ?? "")) {
      // Nothing the API shows changed: only what state records (the steering inputs, a phase seen again).
      return { outs: state ? outputsOf(state, news) : ({ ...steeringOf(news), ...prior.recorded } as ConnectionOutputs) };
    }
    const deadline = this.deadline(timeouts.updateMs);
    const current = state ?? (prior.recorded as ConnectionState);
    const renamed = await this.rename(this.client(deadline), id, news, current, `timeouts.update = ${describeTimeout(news, "update")}`);
    // State said READY, but the answer says otherwise (FAILED or DISCONNECTED since the last refresh): never a silent success.
    if (phaseChange(renamed.phase) !== "none") throw keptInState(id, `${OPERATION_LABELS.update}: ${notServing(id, renamed, this.resource.getStore())}`, renamed, news);
    return { outs: outputsOf(renamed, news) };
  }

  async delete(id: string, props: Props): Promise<void> {
    const prior = parseState(props);
    const { connectionId, environmentId } = locate(id, prior);
    // The state's value, which `check` never saw: one that is not a duration must not keep a destroy from going ahead.
    const timeout = storedTimeout(prior.steering.timeouts, "delete");
    if (timeout.unusable) this.log("warn", timeout.unusable);
    const deadline = this.deadline(timeout.ms);
    const api = this.client(deadline);
    const gone = this.gone(api, connectionId, environmentId, prior.privateLinkAttachmentId);
    try {
      await api.deleteConnection(connectionId, environmentId);
    } catch (e) {
      if (await gone(e)) return;
      throw e;
    }
    const source = timeout.unusable ? `${DEFAULT_TIMEOUT} (the default, in place of the state's unusable value)` : describeTimeout(prior.steering, "delete");
    await waitForGone(this.waitArgs(api, connectionId, environmentId, deadline, `timeouts.delete = ${source}`, {
      isGone: gone, operation: OPERATION_LABELS.delete,
    }));
  }

  // ---- steps ---------------------------------------------------------------------------------------------

  /**
   * The connection as an update may go on with: READY as recorded (undefined: nothing to read), READY after resuming
   * a wait that did not end, or READY when read again after state recorded another phase. Anything else fails the
   * update with what to do, the connection kept in state as it is now.
   */
  private async settledState(id: string, prior: PriorState, news: CheckedInputs, timeouts: ResolvedTimeouts): Promise<ConnectionState | undefined> {
    const phase = prior.recorded.phase;
    if (phase === "READY") return undefined;
    if (isUnsettled(prior)) return this.resumeWait(id, news, this.deadline(timeouts.createMs));
    const deadline = this.deadline(timeouts.updateMs);
    const api = this.client(deadline);
    let state: ConnectionState;
    try {
      ({ state } = await api.getConnection(id, news.environment.id));
    } catch (e) {
      if (await this.gone(api, id, news.environment.id, news.privateLinkAttachment.id)(e)) throw deletedOutsidePulumi(id, e);
      throw e;
    }
    if (state.phase === "READY") return state;
    if (state.phase === "PROVISIONING") return this.resumeWait(id, news, this.deadline(timeouts.createMs));
    const message = `${OPERATION_LABELS.update}: ${notServing(id, state, this.resource.getStore())}`;
    throw keptInState(id, message, state, news);
  }

  /**
   * A create (or earlier update) that did not reach READY: wait again, with a fresh create deadline. Only then: a
   * connection that was READY and later went DISCONNECTED (or to a future phase) will not come back by waiting,
   * and waiting would make every rename of it fail.
   */
  private async resumeWait(id: string, news: CheckedInputs, deadline: Deadline): Promise<ConnectionState> {
    try {
      return await this.awaitReady(this.client(deadline), id, news, deadline);
    } catch (e) {
      if (e instanceof WaitError && e.reason === "gone") throw deletedOutsidePulumi(id, e);
      throw e;
    }
  }

  /** Waits for READY; anything short of it keeps the connection in state as an init error. */
  private async awaitReady(api: ConfluentClient, id: string, news: CheckedInputs, deadline: Deadline): Promise<ConnectionState> {
    try {
      const args = this.waitArgs(api, id, news.environment.id, deadline, `timeouts.create = ${describeTimeout(news, "create")}`, {
        operation: OPERATION_LABELS.create, isGone: this.gone(api, id, news.environment.id, news.privateLinkAttachment.id),
      });
      return (await waitForReady(args)).state;
    } catch (e) {
      const wait = e instanceof WaitError ? e : undefined;
      if (wait?.reason === "gone") throw e;
      const last = wait?.state;
      const reasons = [(e as Error).message];
      if (last?.errorCode) reasons.push(`error_code: ${last.errorCode}`);
      if (last?.errorMessage) reasons.push(`error_message: ${last.errorMessage}`);
      reasons.push(nextUp(wait?.reason, last));
      throw keptInState(id, (e as Error).message, last ?? pendingState(news), news, reasons);
    }
  }

  /** `deadlineSource` names the timeout that bounds the rename (its client's deadline), e.g. `timeouts.update = 5m`. */
  private async rename(api: ConfluentClient, id: string, news: CheckedInputs, current: ConnectionState, deadlineSource: string): Promise<ConnectionState> {
    try {
      return (await api.updateConnection(id, toUpdateRequest(news))).state;
    } catch (e) {
      // A 403 the list does not confirm as "gone" comes back as an error of its own, which is kept like any other.
      let failure = e;
      const gone = await this.gone(api, id, news.environment.id, news.privateLinkAttachment.id)(e).catch((refused: unknown) => {
        failure = refused;
        return false;
      });
      if (gone) throw deletedOutsidePulumi(id, e);
      const message = isApiError(failure) && failure.code === "DEADLINE_EXCEEDED" ? `${failure.message} (${deadlineSource} passed)` : (failure as Error).message;
      // The connection exists: keep it in state as it was.
      throw keptInState(id, message, current, news);
    }
  }

  private createContext(api: ConfluentClient, deadline: Deadline, news: CheckedInputs, serverClock: ServerClock): CreateContext {
    const { environment, privateLinkAttachment } = news;
    return {
      api,
      deadline,
      // Whether a create that got no usable answer created something is found out with a time limit of its own: a
      // POST cut off by the create deadline may still have created the connection, which must be recorded, not lost.
      reconciler: () => this.client(this.deadline(RECONCILE_TIMEOUT_MS), serverClock),
      serverClock,
      gone: (client, connectionId) => this.gone(client, connectionId, environment.id, privateLinkAttachment.id),
      waitUntilGone: async (connectionId) => {
        await waitForGone(this.waitArgs(api, connectionId, environment.id, deadline, `timeouts.create = ${describeTimeout(news, "create")}`, {
          isGone: this.gone(api, connectionId, environment.id, privateLinkAttachment.id),
        }));
      },
      progress: (line, lasting) => this.progress(line, lasting),
    };
  }

  // ---- tools -----------------------------------------------------------------------------------------------

  private client(deadline: Deadline, serverClock?: ServerClock): ConfluentClient {
    return connect(this.config, deadline, {
      serverClock,
      attemptTimeoutMs: this.options.attemptTimeoutMs,
      now: this.options.clock ? () => this.options.clock!.now() : undefined,
      log: (line) => this.log("debug", line),
    });
  }

  /** One per operation, for its requests and its waits alike. */
  private deadline(ms: number): Deadline {
    return Deadline.after(ms, this.options.clock);
  }

  /** Whether a failed request on this connection means it is gone (404, or a 403 the list confirms: gone.ts). */
  private gone(api: ConfluentClient, connectionId: string, environmentId: string, privateLinkAttachmentId?: string): (error: unknown) => Promise<boolean> {
    return (error) => isGone(api, error, { connectionId, environmentId, privateLinkAttachmentId, log: (line) => this.progress(line) });
  }

  private waitArgs(api: ConfluentClient, id: string, environmentId: string, deadline: Deadline, deadlineSource: string, extra: Partial<WaitArgs>): WaitArgs {
    return {
      reader: api, id, environmentId, deadline, deadlineSource, policy: this.options.pollPolicy,
      log: (line, changed) => this.progress(line, changed), ...extra,
    };
  }

  private log(level: Level, line: string): void {
    if (this.options.log) this.options.log(level, line);
    else logToEngine(level, line, this.resource.getStore());
  }

  /** A line for the resource's row; `lasting` ones (a new phase, a decision) are kept in its diagnostics too. */
  private progress(line: string, lasting = true): void {
    if (this.options.log) return this.options.log("info", line);
    logToEngine("info", line, this.resource.getStore(), !lasting);
  }
}

/** State that records a create (or an earlier update) still waiting for READY, or an older state without a phase. */
function isUnsettled(prior: PriorState): boolean {
  const phase = prior.recorded.phase;
  return phase === undefined || phase === "PROVISIONING";
}

/**
 * Why an update cannot go on with a connection that is neither READY nor provisioning, and what the user can do.
 * DISCONNECTED means the cloud endpoint went away or was rejected: no API call of this provider brings it back.
 */
function notServing(id: string, state: ConnectionState, urn: string | undefined): string {
  const why = statusError(state);
  const seen = `${id} is ${state.phase}${why ? ` (${why})` : ""}`;
  const replace = `\`pulumi up --replace ${urn ?? "<urn>"}\``;
  if (state.phase === "DISCONNECTED") {
    return `${seen}: its ${endpointLabel(state)} was deleted or rejected on the cloud side, and Pulumi cannot reconnect it. `
      + "Create the endpoint again (its new id replaces this connection on the next `pulumi up`), "
      + `or run ${replace} to replace the connection for the same endpoint, or remove the resource from the program to delete it.`;
  }
  if (state.phase === "FAILED") return `${seen}: the next \`pulumi up\` replaces it (deletes it, waits until it is gone, creates a new one).`;
  return `${seen}, not READY, and waiting will not make it so. Run \`pulumi refresh\` to record what it is now, or ${replace} to replace it.`;
}

/** What update says about a connection that no longer exists: nothing to rename, the stack must forget it. */
function deletedOutsidePulumi(id: string, cause: unknown): Error {
  return new Error(
    `${id} was deleted outside Pulumi (${(cause as Error)?.message ?? String(cause)}). `
    + "Run `pulumi refresh` to remove it from the stack; the next `pulumi up` then creates it again.",
  );
}

/** What the next `pulumi up` does with a connection a wait left in state. */
function nextUp(reason: WaitFailure | undefined, last: ConnectionState | undefined): string {
  if (reason === "failed" || last?.phase === "FAILED") {
    return "The connection is kept in the stack as FAILED; the next `pulumi up` replaces it: it deletes this connection, waits until it is gone, then creates a new one and waits for READY.";
  }
  if (reason === "unexpected-phase") return `The connection is kept in the stack as ${last?.phase ?? "it is"}; the next \`pulumi up\` reads it again and goes on only if it is READY.`;
  return "The connection is kept in the stack; the next `pulumi up` resumes waiting for it.";
}

function describeTimeout(props: Steering, which: Timeout): string {
  const given = props.timeouts?.[which];
  return typeof given === "string" ? given : `${DEFAULT_TIMEOUT} (default)`;
}

/** The id may carry its environment (`env-…/plattc-…`, like Terraform's import id) when state has none. */
function locate(id: string, prior: PriorState): { connectionId: string; environmentId: string } {
  const slash = id.indexOf("/");
  if (slash > 0) return { environmentId: id.slice(0, slash), connectionId: id.slice(slash + 1) };
  if (prior.environmentId === undefined) {
    throw new Error(`cannot locate ${id}: its environment is unknown; pass the id as "env-…/${id}" or set environment.id in the resource args`);
  }
  return { connectionId: id, environmentId: prior.environmentId };
}
