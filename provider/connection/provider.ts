// The connection's dynamic provider: Pulumi's check/diff/create/read/update/delete for a private link attachment
// connection, on the core (core/operation.ts: configure, deadlines, transports, progress, the create that never
// makes two). Each hook reads what it is given once (checked inputs, old state), makes one deadline for its
// requests and its waits, and hands typed results back.
//
// The dynamic-provider process makes one, through the handle each resource's state requires (handle.ts).
import type * as pulumi from "@pulumi/pulumi";
import { ProviderCore, READ_TIMEOUT_MS, type ProviderOptions } from "../core/operation";
import { statusError, WaitError, type WaitFailure } from "../core/poll";
import { DEFAULT_TIMEOUT, describeTimeout, resolveTimeouts, storedTimeout, type ResolvedTimeouts } from "../core/settings";
import { deletedOutsidePulumi, keptInState, locate, outputsOf, parseState, pendingState, refId, steeringOf, type PriorState, type Steering } from "../core/state";
import { isApiError, operationLabel } from "../core/transport/api-error";
import { connectionClient, type ConfluentClient } from "./client";
import { connectionCreatePlan, endpointLabel } from "./create-plan";
import { connectionGone } from "./gone";
import { phaseChange } from "./diff";
import type { CheckedInputs } from "./inputs";
import { apiVisibleInputs, toUpdateRequest, type ConnectionInputs, type ConnectionState } from "./model";
import * as preview from "./preview";
import { waitForGone, waitForReady, type ConnectionWaitArgs } from "./waits";
import type { Deadline } from "../core/deadline";

export type { ProviderOptions };

/** What the engine keeps of a connection: its state and the provider's own settings. */
export interface ConnectionOutputs extends ConnectionState, Steering {}

type Props = Record<string, unknown>;

/** What refresh answers: the connection as the API has it, and as inputs, so out-of-band edits show as diffs. */
interface ReadAnswer {
  id?: string;
  props?: ConnectionOutputs;
  inputs?: ConnectionInputs & Steering;
}

/** Old state of a connection, read once: what the core reads, and the attachment it is in. */
type PriorConnection = PriorState<ConnectionState> & { privateLinkAttachmentId?: string };

function priorOf(olds: unknown): PriorConnection {
  const prior = parseState<ConnectionState>(olds);
  return { ...prior, privateLinkAttachmentId: refId(prior.recorded.privateLinkAttachment) };
}

export class PrivateLinkAttachmentConnectionProvider extends ProviderCore implements pulumi.dynamic.ResourceProvider {
  constructor(options: ProviderOptions = {}) {
    super(options);
  }

  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<CheckedInputs>> {
    return preview.check(olds, news);
  }

  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return preview.diff(id, olds, news);
  }

  async create(news: CheckedInputs): Promise<pulumi.dynamic.CreateResult<ConnectionOutputs>> {
    const deadline = this.deadline(resolveTimeouts(news.timeouts).createMs);
    const { id, adopted, api } = await this.createOnce(deadline, connectionClient, connectionCreatePlan(news));
    const state = await this.awaitReady(api, id, news, deadline);
    if (adopted && (state.displayName ?? "") !== (news.displayName ?? "")) {
      const renamed = await this.rename(api, id, news, state, `timeouts.create = ${describeTimeout(news.timeouts, "create")}`);
      return { id, outs: outputsOf(renamed, news) };
    }
    return { id, outs: outputsOf(state, news) };
  }

  async read(id: string, props: Props = {}): Promise<ReadAnswer> {
    const prior = priorOf(props);
    const { resourceId: connectionId, environmentId } = locate(id, prior);
    const api = this.client(this.deadline(READ_TIMEOUT_MS));
    let state: ConnectionState;
    try {
      ({ state } = await api.getConnection(connectionId, environmentId));
    } catch (e) {
      if (await this.gone(api, connectionId, environmentId, prior.privateLinkAttachmentId)(e)) return {};
      throw e;
    }
    if (state.phase !== "READY" && state.phase !== "PROVISIONING") this.log("warn", notServing(connectionId, state, this.urn()));
    return { id: connectionId, props: { ...prior.steering, ...state }, inputs: { ...prior.steering, ...apiVisibleInputs(state) } };
  }

  async update(id: string, olds: Props, news: CheckedInputs): Promise<pulumi.dynamic.UpdateResult<ConnectionOutputs>> {
    const prior = priorOf(olds);
    const timeouts = resolveTimeouts(news.timeouts);
    const state = await this.settledState(id, prior, news, timeouts);
    const currentName = state ? state.displayName : prior.recorded.displayName;
    if ((currentName ?? "") === (news.displayName ?? "")) {
      // Nothing the API shows changed: only what state records (the steering inputs, a phase seen again).
      return { outs: state ? outputsOf(state, news) : ({ ...steeringOf(news), ...prior.recorded } as ConnectionOutputs) };
    }
    const deadline = this.deadline(timeouts.updateMs);
    const current = state ?? (prior.recorded as ConnectionState);
    const renamed = await this.rename(this.client(deadline), id, news, current, `timeouts.update = ${describeTimeout(news.timeouts, "update")}`);
    // State said READY, but the answer says otherwise (FAILED or DISCONNECTED since the last refresh): never a silent success.
    if (phaseChange(renamed.phase) !== "none") throw keptInState(id, `${operationLabel("update")}: ${notServing(id, renamed, this.urn())}`, renamed, news);
    return { outs: outputsOf(renamed, news) };
  }

  async delete(id: string, props: Props): Promise<void> {
    const prior = priorOf(props);
    const { resourceId: connectionId, environmentId } = locate(id, prior);
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
    const source = timeout.unusable ? `${DEFAULT_TIMEOUT} (the default, in place of the state's unusable value)` : describeTimeout(prior.steering.timeouts, "delete");
    await waitForGone(this.connectionWait(api, connectionId, environmentId, deadline, `timeouts.delete = ${source}`, {
      isGone: gone, operation: operationLabel("delete"),
    }));
  }

  // ---- steps ---------------------------------------------------------------------------------------------

  /**
   * The connection as an update may go on with: READY as recorded (undefined: nothing to read), READY after resuming
   * a wait that did not end, or READY when read again after state recorded another phase. Anything else fails the
   * update with what to do, the connection kept in state as it is now.
   */
  private async settledState(id: string, prior: PriorConnection, news: CheckedInputs, timeouts: ResolvedTimeouts): Promise<ConnectionState | undefined> {
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
    const message = `${operationLabel("update")}: ${notServing(id, state, this.urn())}`;
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
      const args = this.connectionWait(api, id, news.environment.id, deadline, `timeouts.create = ${describeTimeout(news.timeouts, "create")}`, {
        operation: operationLabel("create"), isGone: this.gone(api, id, news.environment.id, news.privateLinkAttachment.id),
      });
      return (await waitForReady(args)).state;
    } catch (e) {
      const wait = e instanceof WaitError ? e : undefined;
      if (wait?.reason === "gone") throw e;
      const last = wait?.state as ConnectionState | undefined;
      const reasons = [(e as Error).message];
      if (last?.errorCode) reasons.push(`error_code: ${last.errorCode}`);
      if (last?.errorMessage) reasons.push(`error_message: ${last.errorMessage}`);
      reasons.push(nextUp(wait?.reason, last));
      throw keptInState(id, (e as Error).message, last ?? pendingState<ConnectionState>(news, "PROVISIONING"), news, reasons);
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

  // ---- tools -----------------------------------------------------------------------------------------------

  private client(deadline: Deadline): ConfluentClient {
    return connectionClient(this.transport(deadline));
  }

  /** Whether a failed request on this connection means it is gone (404, or a 403 the list confirms: gone.ts). */
  private gone(api: ConfluentClient, connectionId: string, environmentId: string, privateLinkAttachmentId?: string): (error: unknown) => Promise<boolean> {
    return connectionGone(api, { connectionId, environmentId, privateLinkAttachmentId }, (line) => this.progress(line));
  }

  private connectionWait(api: ConfluentClient, id: string, environmentId: string, deadline: Deadline, deadlineSource: string, extra: Partial<ConnectionWaitArgs>): ConnectionWaitArgs {
    return {
      reader: api, id, environmentId, deadline, deadlineSource, policy: this.options.pollPolicy,
      log: (line, changed) => this.progress(line, changed), ...extra,
    };
  }
}

/** State that records a create (or an earlier update) still waiting for READY, or an older state without a phase. */
function isUnsettled(prior: PriorConnection): boolean {
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

/** What the next `pulumi up` does with a connection a wait left in state. */
function nextUp(reason: WaitFailure | undefined, last: ConnectionState | undefined): string {
  if (reason === "failed" || last?.phase === "FAILED") {
    return "The connection is kept in the stack as FAILED; the next `pulumi up` replaces it: it deletes this connection, waits until it is gone, then creates a new one and waits for READY.";
  }
  if (reason === "unexpected-phase") return `The connection is kept in the stack as ${last?.phase ?? "it is"}; the next \`pulumi up\` reads it again and goes on only if it is READY.`;
  return "The connection is kept in the stack; the next `pulumi up` resumes waiting for it.";
}
