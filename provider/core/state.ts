// What the engine keeps of a resource of any kind: its outputs (the API's view plus the provider's own settings,
// which read hands back as inputs), old state read once, and the init error that records a resource which exists
// but did not reach the phase its create or update waits for.
import { isRecord } from "./checks";
import type { Timeouts } from "./settings";

/** Inputs that only steer the provider: kept in outputs so that read can hand them back as inputs. */
export interface Steering {
  timeouts?: Timeouts;
  adoptExisting?: boolean;
  __urn?: string;
}

const STEERING_KEYS = ["timeouts", "adoptExisting", "__urn"] as const;
const PROVIDER_KEY = "__provider";

/** Old state (a resource's outputs, as any earlier version of this provider wrote them), read once. */
export interface PriorState<S> {
  steering: Steering;
  /** The resource as state records it: every output but `__provider` and the steering keys. */
  recorded: Partial<S> & Record<string, unknown>;
  environmentId?: string;
}

export function steeringOf(props: object): Steering {
  const out: Record<string, unknown> = {};
  for (const key of STEERING_KEYS) {
    const value = (props as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The id of a reference such as `environment: { id }`, when it is a non-empty string. */
export function refId(value: unknown): string | undefined {
  const id = isRecord(value) ? value.id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

export function parseState<S>(olds: unknown): PriorState<S> {
  const props = isRecord(olds) ? olds : {};
  const recorded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key !== PROVIDER_KEY && !(STEERING_KEYS as readonly string[]).includes(key)) recorded[key] = value;
  }
  return { steering: steeringOf(props), recorded: recorded as PriorState<S>["recorded"], environmentId: refId(props.environment) };
}

export function outputsOf<S extends object>(state: S, inputs: Steering): S & Steering {
  return { ...steeringOf(inputs), ...state };
}

/** What state records of a resource that was asked for but not yet seen: its inputs the API shows, in `phase`. */
export function pendingState<S>(inputs: object, phase: string): S {
  const { timeouts: _t, adoptExisting: _a, __urn: _u, __provider: _p, ...visible } = inputs as Record<string, unknown>;
  return { ...visible, phase } as S;
}

/**
 * The id may carry its environment (`env-…/<id>`, like Terraform's import id) when state has none. `what` names
 * the kind's id for the message, e.g. `plattc-…`.
 */
export function locate(id: string, prior: { environmentId?: string }): { resourceId: string; environmentId: string } {
  const slash = id.indexOf("/");
  if (slash > 0) return { environmentId: id.slice(0, slash), resourceId: id.slice(slash + 1) };
  if (prior.environmentId === undefined) {
    throw new Error(`cannot locate ${id}: its environment is unknown; pass the id as "env-…/${id}" or set environment.id in the resource args`);
  }
  return { resourceId: id, environmentId: prior.environmentId };
}

/**
 * The engine records a resource that exists but is not where its create or update waits for it (an "init error"):
 * it stays in state with `properties` and the next `up` calls update, which resumes. The dynamic-provider host
 * reads `id`, `properties` and `reasons` off the error it is given.
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

export function keptInState(id: string, message: string, resource: object, inputs: Steering & { __provider?: string }, reasons: string[] = [message]): KeptInStateError {
  const properties = { ...steeringOf(inputs), ...resource, [PROVIDER_KEY]: inputs.__provider };
  return new KeptInStateError(message, id, properties, reasons);
}

/** What an update says about a resource that no longer exists: nothing to change, the stack must forget it. */
export function deletedOutsidePulumi(id: string, cause: unknown): Error {
  return new Error(
    `${id} was deleted outside Pulumi (${(cause as Error)?.message ?? String(cause)}). `
    + "Run `pulumi refresh` to remove it from the stack; the next `pulumi up` then creates it again.",
  );
}
