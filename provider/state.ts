// What the engine keeps of a connection: its outputs (the API's view plus the inputs that only steer the
// provider), old state read once, and the init error that records a connection which exists but is not READY.
import type { CheckedInputs } from "./inputs";
import { isRecord, type ConnectionInputs, type ConnectionState } from "./model";

/** Inputs that only steer the provider: kept in outputs so that read can hand them back as inputs. */
export interface Steering {
  timeouts?: ConnectionInputs["timeouts"];
  adoptExisting?: boolean;
  __urn?: string;
}

export interface ConnectionOutputs extends ConnectionState, Steering {}

const STEERING_KEYS = ["timeouts", "adoptExisting", "__urn"] as const;
const PROVIDER_KEY = "__provider";

/** Old state (a resource's outputs, as any earlier version of this provider wrote them), read once. */
export interface PriorState {
  steering: Steering;
  /** The connection as state records it: every output but `__provider` and the steering keys. */
  recorded: Partial<ConnectionState> & Record<string, unknown>;
  environmentId?: string;
  privateLinkAttachmentId?: string;
}

export function steeringOf(props: object): Steering {
  const out: Record<string, unknown> = {};
  for (const key of STEERING_KEYS) {
    const value = (props as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function refId(value: unknown): string | undefined {
  const id = isRecord(value) ? value.id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

export function parseState(olds: unknown): PriorState {
  const props = isRecord(olds) ? olds : {};
  const recorded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key !== PROVIDER_KEY && !(STEERING_KEYS as readonly string[]).includes(key)) recorded[key] = value;
  }
  return {
    steering: steeringOf(props),
    recorded,
    environmentId: refId(props.environment),
    privateLinkAttachmentId: refId(props.privateLinkAttachment),
  };
}

export function outputsOf(state: ConnectionState, inputs: Steering): ConnectionOutputs {
  return { ...steeringOf(inputs), ...state };
}

/** What state records of a connection that was asked for but not yet seen. */
export function pendingState(inputs: ConnectionInputs): ConnectionState {
  const { timeouts: _t, adoptExisting: _a, ...visible } = inputs;
  return { ...visible, phase: "PROVISIONING" };
}

/**
 * The engine records a connection that exists but did not become READY (an "init error"): it stays in state with
 * `properties` and the next `up` calls update, which resumes the wait. The dynamic-provider host reads `id`,
 * `properties` and `reasons` off the error it is given.
 */
export class KeptInStateError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "KeptInStateError";
  }
}

export function keptInState(id: string, message: string, connection: object, inputs: CheckedInputs, reasons: string[] = [message]): KeptInStateError {
  const properties = { ...steeringOf(inputs), ...connection, [PROVIDER_KEY]: inputs.__provider };
  return new KeptInStateError(message, id, properties, reasons);
}
