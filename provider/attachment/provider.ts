// The attachment's dynamic provider: Pulumi's check/diff/create/read/update/delete for a private link attachment, on
// the core (core/operation.ts). A create waits until the attachment serves connections (WAITING_FOR_CONNECTIONS or
// READY); FAILED and EXPIRED keep it in state as an init error, and the next `up` replaces it. Only displayName
// changes in place. A delete waits until it is gone.
import type * as pulumi from "@pulumi/pulumi";
import type { Deadline } from "../core/deadline";
import { ProviderCore, READ_TIMEOUT_MS, type ProviderOptions } from "../core/operation";
import { statusError, WaitError, type WaitArgs, type WaitFailure } from "../core/poll";
import { DEFAULT_TIMEOUT, describeTimeout, resolveTimeouts, storedTimeout } from "../core/settings";
import { deletedOutsidePulumi, keptInState, locate, outputsOf, parseState, pendingState, steeringOf, type PriorState, type Steering } from "../core/state";
import { isApiError, operationLabel } from "../core/transport/api-error";
import { attachmentClient, type AttachmentClient } from "./client";
import { attachmentCreatePlan } from "./create-plan";
import { attachmentGone } from "./gone";
import { attachmentPhaseChange } from "./diff";
import type { CheckedAttachmentInputs } from "./inputs";
import { apiVisibleInputs, toUpdateRequest, type AttachmentInputs, type AttachmentState } from "./model";
import * as preview from "./preview";
import { SERVING_PHASES, waitForAttachmentGone, waitForServing } from "./waits";

const NOUN = "private link attachment";

/** What the engine keeps of an attachment: its state and the provider's own settings. */
export interface AttachmentOutputs extends AttachmentState, Steering {}

type Props = Record<string, unknown>;

interface ReadAnswer {
  id?: string;
  props?: AttachmentOutputs;
  inputs?: AttachmentInputs & Steering;
}

export class PrivateLinkAttachmentProvider extends ProviderCore implements pulumi.dynamic.ResourceProvider {
  constructor(options: ProviderOptions = {}) {
    super(options);
  }

  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return preview.check(olds, news);
  }

  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return preview.diff(id, olds, news);
  }

  async create(news: CheckedAttachmentInputs): Promise<pulumi.dynamic.CreateResult<AttachmentOutputs>> {
    const deadline = this.deadline(resolveTimeouts(news.timeouts).createMs);
    const { id, api, removeLateCopies } = await this.createOnce(deadline, attachmentClient, attachmentCreatePlan(news));
    try {
      const state = await this.awaitServing(api, id, news, deadline);
      return { id, outs: outputsOf(state, news) };
    } finally {
      await removeLateCopies(id);
    }
  }

  async read(id: string, props: Props = {}): Promise<ReadAnswer> {
    const prior = parseState<AttachmentState>(props);
    const { resourceId, environmentId } = locate(id, prior);
    const api = attachmentClient(this.transport(this.deadline(READ_TIMEOUT_MS)));
    let state: AttachmentState;
    try {
      ({ state } = await api.getAttachment(resourceId, environmentId));
    } catch (e) {
      if (await this.gone(api, resourceId, environmentId)(e)) return {};
      throw e;
    }
    if (attachmentPhaseChange(state.phase) !== "none") this.log("warn", notServing(resourceId, state, this.urn()));
    return { id: resourceId, props: { ...prior.steering, ...state }, inputs: { ...prior.steering, ...apiVisibleInputs(state) } };
  }

  async update(id: string, olds: Props, news: CheckedAttachmentInputs): Promise<pulumi.dynamic.UpdateResult<AttachmentOutputs>> {
    const prior = parseState<AttachmentState>(olds);
    const state = await this.settledState(id, prior, news);
    const currentName = state ? state.displayName : prior.recorded.displayName;
    if ((currentName ?? "") === (news.displayName ?? "")) {
      return { outs: state ? outputsOf(state, news) : ({ ...steeringOf(news), ...prior.recorded } as AttachmentOutputs) };
    }
    const timeouts = resolveTimeouts(news.timeouts);
    const api = attachmentClient(this.transport(this.deadline(timeouts.updateMs)));
    const current = state ?? (prior.recorded as AttachmentState);
    let renamed: AttachmentState;
    try {
      renamed = (await api.updateAttachment(id, toUpdateRequest(news))).state;
    } catch (e) {
      // A 403 the list does not confirm as "gone" comes back as an error of its own, which is kept like any other.
      let failure = e;
      const gone = await this.gone(api, id, news.environment.id)(e).catch((refused: unknown) => {
        failure = refused;
        return false;
      });
      if (gone) throw deletedOutsidePulumi(id, e);
      const message = isApiError(failure) && failure.code === "DEADLINE_EXCEEDED"
        ? `${failure.message} (timeouts.update = ${describeTimeout(news.timeouts, "update")} passed)`
        : (failure as Error).message;
      // The attachment exists: keep it in state as it was.
      throw keptInState(id, message, current, news);
    }
    if (attachmentPhaseChange(renamed.phase) !== "none") throw keptInState(id, `${operationLabel("update", NOUN)}: ${notServing(id, renamed, this.urn())}`, renamed, news);
    return { outs: outputsOf(renamed, news) };
  }

  async delete(id: string, props: Props): Promise<void> {
    const prior = parseState<AttachmentState>(props);
    const { resourceId, environmentId } = locate(id, prior);
    const timeout = storedTimeout(prior.steering.timeouts, "delete");
    if (timeout.unusable) this.log("warn", timeout.unusable);
    const deadline = this.deadline(timeout.ms);
    const api = attachmentClient(this.transport(deadline));
    try {
      await api.deleteAttachment(resourceId, environmentId);
    } catch (e) {
      if (await this.gone(api, resourceId, environmentId)(e)) return;
      throw e;
    }
    const source = timeout.unusable ? `${DEFAULT_TIMEOUT} (the default, in place of the state's unusable value)` : describeTimeout(prior.steering.timeouts, "delete");
    await waitForAttachmentGone({ ...this.attachmentWait(api, resourceId, environmentId, deadline, `timeouts.delete = ${source}`), operation: operationLabel("delete", NOUN) });
  }

  /**
   * The attachment as an update may go on with: serving as recorded (undefined: nothing to read), serving after
   * resuming a wait that did not end, or serving when read again. Anything else fails the update with what to do.
   */
  private async settledState(id: string, prior: PriorState<AttachmentState>, news: CheckedAttachmentInputs): Promise<AttachmentState | undefined> {
    const phase = prior.recorded.phase;
    const timeouts = resolveTimeouts(news.timeouts);
    if (typeof phase === "string" && SERVING_PHASES.includes(phase)) return undefined;
    if (phase === undefined || phase === "PROVISIONING") return this.resumeWait(id, news, this.deadline(timeouts.createMs));
    const api = attachmentClient(this.transport(this.deadline(timeouts.updateMs)));
    let state: AttachmentState;
    try {
      ({ state } = await api.getAttachment(id, news.environment.id));
    } catch (e) {
      if (await this.gone(api, id, news.environment.id)(e)) throw deletedOutsidePulumi(id, e);
      throw e;
    }
    if (SERVING_PHASES.includes(state.phase)) return state;
    if (state.phase === "PROVISIONING") return this.resumeWait(id, news, this.deadline(timeouts.createMs));
    throw keptInState(id, `${operationLabel("update", NOUN)}: ${notServing(id, state, this.urn())}`, state, news);
  }

  private async resumeWait(id: string, news: CheckedAttachmentInputs, deadline: Deadline): Promise<AttachmentState> {
    try {
      return await this.awaitServing(attachmentClient(this.transport(deadline)), id, news, deadline);
    } catch (e) {
      if (e instanceof WaitError && e.reason === "gone") throw deletedOutsidePulumi(id, e);
      throw e;
    }
  }

  /** Waits until it serves connections; anything short of it keeps the attachment in state as an init error. */
  private async awaitServing(api: AttachmentClient, id: string, news: CheckedAttachmentInputs, deadline: Deadline): Promise<AttachmentState> {
    try {
      const args = this.attachmentWait(api, id, news.environment.id, deadline, `timeouts.create = ${describeTimeout(news.timeouts, "create")}`);
      return (await waitForServing({ ...args, operation: operationLabel("create", NOUN) })).state;
    } catch (e) {
      const wait = e instanceof WaitError ? e : undefined;
      if (wait?.reason === "gone") throw e;
      const last = wait?.state as AttachmentState | undefined;
      const reasons = [(e as Error).message];
      if (last?.errorCode) reasons.push(`error_code: ${last.errorCode}`);
      if (last?.errorMessage) reasons.push(`error_message: ${last.errorMessage}`);
      reasons.push(nextUp(wait?.reason, last));
      throw keptInState(id, `${(e as Error).message}. ${nextUp(wait?.reason, last)}`, last ?? pendingState<AttachmentState>(news, "PROVISIONING"), news, reasons);
    }
  }

  /** Whether a failed request on this attachment means it is gone (404, or a 403 the environment's list confirms). */
  private gone(api: AttachmentClient, id: string, environmentId: string): (error: unknown) => Promise<boolean> {
    return attachmentGone(api, id, environmentId, (line) => this.progress(line));
  }

  private attachmentWait(api: AttachmentClient, id: string, environmentId: string, deadline: Deadline, deadlineSource: string): WaitArgs<AttachmentState> {
    return this.waitArgs<AttachmentState>({
      read: async () => (await api.getAttachment(id, environmentId)).state,
      id, deadline, deadlineSource,
      isGone: this.gone(api, id, environmentId),
    });
  }
}

/** Why an update cannot go on with an attachment that does not serve connections, and what the user can do. */
function notServing(id: string, state: AttachmentState, urn: string | undefined): string {
  const why = statusError(state);
  const seen = `${id} is ${state.phase}${why ? ` (${why})` : ""}`;
  if (state.phase === "EXPIRED") {
    return `${seen}: it waited too long for its first connection and can only be deleted; the next \`pulumi up\` replaces it (creates a new attachment, then deletes this one).`;
  }
  if (state.phase === "FAILED") return `${seen}: the next \`pulumi up\` replaces it (creates a new attachment, then deletes this one).`;
  return `${seen}, not WAITING_FOR_CONNECTIONS or READY, and waiting will not make it so. Run \`pulumi refresh\` to record what it is now, or \`pulumi up --replace ${urn ?? "<urn>"}\` to replace it.`;
}

/** What the next `pulumi up` does with an attachment a wait left in state. */
function nextUp(reason: WaitFailure | undefined, last: AttachmentState | undefined): string {
  if (reason === "failed" || last?.phase === "FAILED" || last?.phase === "EXPIRED") {
    return `The attachment is kept in the stack as ${last?.phase ?? "FAILED"}; the next \`pulumi up\` replaces it: it creates a new attachment and waits for it, then deletes this one.`;
  }
  if (reason === "unexpected-phase") return `The attachment is kept in the stack as ${last?.phase ?? "it is"}; the next \`pulumi up\` reads it again and goes on only if it serves connections.`;
  return "The attachment is kept in the stack; the next `pulumi up` resumes waiting for it.";
}
