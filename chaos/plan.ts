// The plan of one chaos schedule, drawn from (seed, index) before anything runs: the emulator's mode and timing,
// the faults on the wire, the attachment the schedule creates (if any) and for each connection its endpoint and
// attachment, each resource with at most one lifecycle fault. Everything random is here, so a schedule's outcome
// depends on its plan, not on the order in which concurrent steps happen.
import type { FaultSpec } from "../emulator";
import { Random } from "./random";

const CONNECTIONS = "/networking/v1/private-link-attachment-connections";
const ATTACHMENTS = "/networking/v1/private-link-attachments";
export const ATTEMPT_TIMEOUT_MS = 400;

/** Timeouts a correct provider never reaches on a survivable schedule (the wire faults' retries take seconds). */
export const GENEROUS_TIMEOUT = "2m";

type Cloud = "aws" | "azure" | "gcp";

type LifecycleFault =
  // Unsurvivable: the user must see an error.
  /** FAILED while the create waits; the operator fixes it before the next `pulumi up`. */
  | "failedWhileCreating"
  /** Still PROVISIONING when a short timeouts.create passes; released before the next `pulumi up`. */
  | "neverReady"
  /** Deleted outside the program while the create waits. */
  | "deletedWhileCreating"
  /** Deprovisioning outlasts a short timeouts.delete; the next `pulumi destroy` allows longer. */
  | "deleteOutlastsTimeout"
  /** DISCONNECTED (its cloud endpoint removed) before the refresh: the update after it must say what to do. */
  | "disconnectedAfterReady"
  // Survivable: the lifecycle must complete without an error.
  /** PROVISIONING a while longer than usual, well within timeouts.create. */
  | "slowProvisioning"
  /** Renamed outside the program while the create waits. */
  | "renamedWhileCreating"
  /** Renamed outside the program (drift) before the refresh. */
  | "renamedAfterReady";

type AttachmentFault =
  // Unsurvivable.
  /** FAILED while the create waits; the user destroys it. */
  | "failedWhileCreating"
  /** Still PROVISIONING when a short timeouts.create passes; released before the next `pulumi up`, which resumes. */
  | "neverServing"
  /** Deleted outside the program while the create waits. */
  | "deletedWhileCreating"
  /** Deprovisioning outlasts a short timeouts.delete; the next `pulumi destroy` allows longer. */
  | "deleteOutlastsTimeout"
  /** EXPIRED before the refresh (once its connections are gone): the rename after it must say what to do. */
  | "expiredAfterServing"
  // Survivable.
  /** PROVISIONING a while longer than usual, well within timeouts.create. */
  | "slowProvisioning"
  /** Renamed outside the program while the create waits. */
  | "renamedWhileCreating"
  /** Renamed outside the program (drift) before the refresh. */
  | "renamedAfterServing";

const UNSURVIVABLE: ReadonlySet<LifecycleFault> = new Set(["failedWhileCreating", "neverReady", "deletedWhileCreating", "deleteOutlastsTimeout", "disconnectedAfterReady"]);
const SURVIVABLE_FAULTS: LifecycleFault[] = ["slowProvisioning", "renamedWhileCreating", "renamedAfterReady"];
const UNSURVIVABLE_FAULTS: LifecycleFault[] = [...UNSURVIVABLE];
const UNSURVIVABLE_ATTACHMENT: ReadonlySet<AttachmentFault> = new Set(["failedWhileCreating", "neverServing", "deletedWhileCreating", "deleteOutlastsTimeout", "expiredAfterServing"]);
const SURVIVABLE_ATTACHMENT_FAULTS: AttachmentFault[] = ["slowProvisioning", "renamedWhileCreating", "renamedAfterServing"];
const UNSURVIVABLE_ATTACHMENT_FAULTS: AttachmentFault[] = [...UNSURVIVABLE_ATTACHMENT];

/** Chance that a resource draws an unsurvivable fault; a schedule has 2–4 resources, so about 3 in 4 schedules are survivable. */
const UNSURVIVABLE_CHANCE = 0.09;
const SURVIVABLE_FAULT_CHANCE = 0.3;
/** Chance that a schedule creates an attachment of its own, and that each connection is made on it then. */
const NEW_ATTACHMENT_CHANCE = 0.5;
const ON_NEW_ATTACHMENT_CHANCE = 0.6;
/** Chance that a new attachment draws an unsurvivable fault (its connections go with it). */
const UNSURVIVABLE_ATTACHMENT_CHANCE = 0.12;

/** Short timeouts of the resource whose unsurvivable fault needs them. */
const SHORT_CREATE_TIMEOUT = "800ms";
const SHORT_DELETE_TIMEOUT = "300ms";
/** Deprovisioning of a schedule with deleteOutlastsTimeout: well past SHORT_DELETE_TIMEOUT. */
const LONG_DEPROVISIONING_MS = 1500;
/** How long slowProvisioning holds a connection in PROVISIONING. */
export const SLOW_PROVISIONING_MS = 300;

export interface ResourcePlan {
  n: number;
  cloud: Cloud;
  /** The emulator's attachment it is made on, or undefined: on the attachment the schedule creates. */
  attachmentId?: string;
  endpointId: string;
  fault?: LifecycleFault;
  /** The resource's arguments, as a program would pass them (`privateLinkAttachment` is the new one's once it exists). */
  args: Record<string, unknown>;
}

export interface AttachmentPlan {
  cloud: Cloud;
  displayName: string;
  fault?: AttachmentFault;
  args: Record<string, unknown>;
}

/**
 * When a create applied late (fault `applyAfterMs`) takes effect: just before the provider sends its create again
 * (the second POST then meets it as a 409), or just after that second POST has made the connection (the late one
 * then meets a 409 itself). The emulator never applies it on its own during a schedule.
 */
type LateApplication = "beforeRetry" | "afterRetry";
const LATE_APPLY_NEVER_MS = 600_000;

export interface SchedulePlan {
  seed: number;
  index: number;
  quirks: boolean;
  goneAs403: boolean;
  lateApplication?: LateApplication;
  timing: { provisioningMs: number; deprovisioningMs: number };
  attachmentTiming: { provisioningMs: number; deprovisioningMs: number };
  wireFaults: FaultSpec[];
  /** The attachment the schedule creates before its connections on it and deletes after them. */
  attachment?: AttachmentPlan;
  resources: ResourcePlan[];
}

const SEEDED_ATTACHMENTS: readonly { cloud: Cloud; id: string }[] = [
  { cloud: "aws", id: "platt-emuaws" },
  { cloud: "azure", id: "platt-emuazure" },
  { cloud: "gcp", id: "platt-emugcp" },
];
const ENVIRONMENT = "env-emu000";
const REGION: Record<Cloud, string> = { aws: "us-west-2", azure: "eastus", gcp: "us-central1" };

/**
 * How many failed answers a retried call can absorb: the client retries 8 times, and a create reposts at most
 * twice after an answer that may have been applied (a 5xx, a reset). A schedule's wire faults stay within these
 * budgets, so even if all of them hit one call, it succeeds.
 */
const MAX_FAILED_ANSWERS_PER_METHOD = 5;
const MAX_AMBIGUOUS_POSTS = 2;

/** The wire faults one draw picks from, each on a collection picked from `collections`. */
function wireFaultMenu(rng: Random, collections: readonly string[]): (() => FaultSpec)[] {
  const on = () => rng.pick(collections);
  return [
    () => ({ method: rng.pick(["GET", "POST", "PATCH", "DELETE"]), path: `${on()}*`, status: 429, count: rng.int(1, 3) }),
    () => ({ method: rng.pick(["GET", "POST"]), path: `${on()}*`, status: 429, count: rng.int(1, 2), headers: { "Retry-After": null } }),
    () => ({ method: "GET", path: `${on()}*`, status: 429, count: 2, headers: { "Retry-After": null, "X-RateLimit-Reset": null } }),
    () => ({ method: rng.pick(["GET", "POST", "PATCH", "DELETE"]), path: `${on()}*`, status: rng.pick([500, 502, 503]), count: rng.int(1, 2) }),
    () => ({ method: rng.pick(["POST", "PATCH", "DELETE", "GET"]), path: `${on()}*`, reset: true, when: rng.pick(["before", "after"] as const), count: 1 }),
    () => ({ method: "GET", path: `${on()}/*`, delayMs: ATTEMPT_TIMEOUT_MS + 150, count: rng.int(1, 2) }),
    () => ({ method: "GET", path: on(), status: 503, count: 1 }),
    // A create the backend applies after its answer failed: the provider's reconciliation finds nothing and it creates
    // again; the late one lands before or after that (LateApplication).
    () => ({ method: "POST", path: on(), ...(rng.chance(0.5) ? { reset: true } : { status: rng.pick([500, 503]) }), applyAfterMs: LATE_APPLY_NEVER_MS, count: 1 }),
  ];
}

function isLate(spec: FaultSpec): boolean {
  return spec.applyAfterMs !== undefined;
}

function isAmbiguousPost(spec: FaultSpec): boolean {
  return spec.method === "POST" && (spec.reset === true || (spec.status !== undefined && spec.status >= 500));
}

/** Up to four wire faults, within the budgets (a draw that would exceed one is skipped). */
function drawWireFaults(rng: Random, collections: readonly string[]): FaultSpec[] {
  const menu = wireFaultMenu(rng, collections);
  const chosen: FaultSpec[] = [];
  const wanted = rng.int(0, 4);
  for (let i = 0; i < wanted; i++) {
    const spec = rng.pick(menu)();
    const sameMethod = chosen.filter((f) => f.method === spec.method).reduce((n, f) => n + (f.count ?? 1), 0);
    const ambiguousPosts = [...chosen, spec].filter(isAmbiguousPost).reduce((n, f) => n + (f.count ?? 1), 0);
    if (sameMethod + (spec.count ?? 1) > MAX_FAILED_ANSWERS_PER_METHOD || ambiguousPosts > MAX_AMBIGUOUS_POSTS) continue;
    // One late create per schedule: its moment is the schedule's (LateApplication).
    if (isLate(spec) && chosen.some(isLate)) continue;
    chosen.push(spec);
  }
  return chosen;
}

function endpointOf(cloud: Cloud, index: number, n: number): { endpointId: string; endpoint: Record<string, unknown> } {
  const serial = index * 16 + n;
  switch (cloud) {
    case "aws": {
      const endpointId = `vpce-${serial.toString(16).padStart(17, "0")}`;
      return { endpointId, endpoint: { aws: { vpcEndpointId: endpointId } } };
    }
    case "azure": {
      const endpointId = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/chaos/providers/Microsoft.Network/privateEndpoints/pe-${serial.toString(16)}`;
      return { endpointId, endpoint: { azure: { privateEndpointResourceId: endpointId } } };
    }
    case "gcp": {
      const endpointId = String(10_000_000 + serial);
      return { endpointId, endpoint: { gcp: { privateServiceConnectConnectionId: endpointId } } };
    }
  }
}

function drawLifecycleFault(rng: Random): LifecycleFault | undefined {
  if (rng.chance(UNSURVIVABLE_CHANCE)) return rng.pick(UNSURVIVABLE_FAULTS);
  if (rng.chance(SURVIVABLE_FAULT_CHANCE)) return rng.pick(SURVIVABLE_FAULTS);
  return undefined;
}

function drawAttachmentFault(rng: Random): AttachmentFault | undefined {
  if (rng.chance(UNSURVIVABLE_ATTACHMENT_CHANCE)) return rng.pick(UNSURVIVABLE_ATTACHMENT_FAULTS);
  if (rng.chance(SURVIVABLE_FAULT_CHANCE)) return rng.pick(SURVIVABLE_ATTACHMENT_FAULTS);
  return undefined;
}

function timeoutsFor(fault: LifecycleFault | AttachmentFault | undefined): Record<string, string> {
  return {
    create: fault === "neverReady" || fault === "neverServing" ? SHORT_CREATE_TIMEOUT : GENEROUS_TIMEOUT,
    update: GENEROUS_TIMEOUT,
    delete: fault === "deleteOutlastsTimeout" ? SHORT_DELETE_TIMEOUT : GENEROUS_TIMEOUT,
  };
}

function drawAttachment(rng: Random, index: number): AttachmentPlan | undefined {
  if (!rng.chance(NEW_ATTACHMENT_CHANCE)) return undefined;
  const cloud = rng.pick(SEEDED_ATTACHMENTS).cloud;
  const fault = drawAttachmentFault(rng);
  const displayName = `chaos-${index}-a`;
  const args = { cloud: cloud.toUpperCase(), region: REGION[cloud], displayName, environment: { id: ENVIRONMENT }, timeouts: timeoutsFor(fault) };
  return { cloud, displayName, args, ...(fault ? { fault } : {}) };
}

export function drawSchedule(seed: number, index: number): SchedulePlan {
  const rng = Random.forSchedule(seed, index);
  const quirks = rng.chance(0.3);
  // Production answers 403 for a resource that is gone (on in quirks mode); some strict schedules too.
  const goneAs403 = quirks || rng.chance(0.15);
  const provisioningMs = rng.int(10, 150);
  const deprovisioningMs = rng.int(10, 100);
  const attachmentTiming = { provisioningMs: rng.int(10, 150), deprovisioningMs: rng.int(10, 100) };
  const attachment = drawAttachment(rng, index);
  const wireFaults = drawWireFaults(rng, attachment ? [CONNECTIONS, ATTACHMENTS] : [CONNECTIONS]);
  const lateApplication: LateApplication | undefined = wireFaults.some(isLate) ? rng.pick(["beforeRetry", "afterRetry"] as const) : undefined;
  const resources: ResourcePlan[] = Array.from({ length: rng.int(2, 4) }, (_, n) => {
    const onNew = attachment !== undefined && rng.chance(ON_NEW_ATTACHMENT_CHANCE);
    const seeded = rng.pick(SEEDED_ATTACHMENTS);
    const cloud = onNew ? attachment.cloud : seeded.cloud;
    const { endpointId, endpoint } = endpointOf(cloud, index, n);
    const fault = drawLifecycleFault(rng);
    const args = {
      displayName: `chaos-${index}-${n}`,
      environment: { id: ENVIRONMENT },
      ...(onNew ? {} : { privateLinkAttachment: { id: seeded.id } }),
      ...endpoint,
      timeouts: timeoutsFor(fault),
    };
    return { n, cloud, endpointId, args, ...(onNew ? {} : { attachmentId: seeded.id }), ...(fault ? { fault } : {}) };
  });
  const slowDeletes = resources.some((r) => r.fault === "deleteOutlastsTimeout");
  return {
    seed, index, quirks, goneAs403, wireFaults, resources,
    ...(attachment ? { attachment } : {}),
    ...(lateApplication ? { lateApplication } : {}),
    timing: { provisioningMs, deprovisioningMs: slowDeletes ? LONG_DEPROVISIONING_MS : deprovisioningMs },
    attachmentTiming: attachment?.fault === "deleteOutlastsTimeout" ? { ...attachmentTiming, deprovisioningMs: LONG_DEPROVISIONING_MS } : attachmentTiming,
  };
}

/** Whether a correct provider takes every resource of the plan through its whole lifecycle without an error. */
export function isSurvivable(plan: SchedulePlan): boolean {
  const attachmentFault = plan.attachment?.fault;
  return plan.resources.every((r) => r.fault === undefined || !UNSURVIVABLE.has(r.fault))
    && (attachmentFault === undefined || !UNSURVIVABLE_ATTACHMENT.has(attachmentFault));
}

function describeWireFault(spec: FaultSpec): string {
  const what = spec.status ?? (spec.reset ? `reset-${spec.applyAfterMs !== undefined ? "late" : (spec.when ?? "before")}` : `delay${spec.delayMs}`);
  const path = (spec.path === CONNECTIONS || spec.path === ATTACHMENTS) && spec.method === "GET" ? " (list)" : "";
  const on = spec.path?.startsWith(ATTACHMENTS) ? " attachments" : "";
  const late = spec.applyAfterMs !== undefined && !spec.reset ? " applied late" : "";
  return `${spec.method}${on} ${what}×${spec.count ?? 1}${spec.headers ? " -headers" : ""}${late}${path}`;
}

/** The plan's faults in a line each: wire faults, then `r<n>: <lifecycle fault>`. */
export function describeFaults(plan: SchedulePlan): string[] {
  return [
    ...plan.wireFaults.map(describeWireFault),
    ...(plan.lateApplication ? [`late create applied ${plan.lateApplication === "beforeRetry" ? "before" : "after"} the retry`] : []),
    ...(plan.attachment?.fault ? [`a: ${plan.attachment.fault}`] : []),
    ...plan.resources.filter((r) => r.fault).map((r) => `r${r.n}: ${r.fault}`),
  ];
}
