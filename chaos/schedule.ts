// One chaos schedule: several connections go through create → read → rename → read → delete at once, through one
// provider instance, while the emulator injects the plan's faults. Every step the provider reports as done is
// checked on the emulator's own view; every error is judged against the clear-error contract; afterwards the
// emulator's connections are compared with what the provider reported.
import { startEmulator, type ConnectionView, type Emulator } from "../emulator";
import { withProvider } from "../bench/env";
import type { CheckedInputs } from "../provider/connection/inputs";
import type { ConnectionOutputs, PrivateLinkAttachmentConnectionProvider } from "../provider/connection/provider";
import { unmetClauses, type Operation } from "./contract";
import { judge, type Loss, type Outcome } from "./outcome";
import {
  ATTEMPT_TIMEOUT_MS, describeFaults, drawSchedule, GENEROUS_TIMEOUT, isSurvivable, SLOW_PROVISIONING_MS,
  type ResourcePlan, type SchedulePlan,
} from "./plan";

export interface ScheduleResult {
  index: number;
  survivable: boolean;
  outcome: Outcome;
  /** Per resource, `r<n> ok` or `r<n> <step of its first error>`: with the outcome, what a rerun must reproduce. */
  steps: string[];
  faults: string[];
  /** What went wrong, one line per loss (empty when the outcome is succeeded or failedClearly). */
  losses: { kind: Loss; detail: string }[];
  /** Clear errors users saw, ids elided, for the run's list of the most frequent. */
  clearErrors: string[];
  ms: number;
}

/** Engine-shaped data: property bags, as the engine hands them over. */
type Props = Record<string, unknown>;
type Step = "create" | "resume" | "refresh" | "read" | "update" | "read again" | "delete" | "destroy again";

const OPERATION_OF: Record<Step, Operation> = {
  create: "create", resume: "update", refresh: "read", read: "read", update: "update", "read again": "read", delete: "delete", "destroy again": "delete",
};
const CANARY_KEY = "CHAOSKEYCANARY7Q";
const CANARY_SECRET = "chaos-secret-canary-9f8e7d6c5b4a";
const MARKER = "chaos";

interface RecordedError {
  n: number;
  step: Step;
  error: unknown;
  connectionId?: string;
  endpointId: string;
}

/** What one schedule saw; judged once every lifecycle has ended. */
class Observations {
  readonly reported = new Set<string>();
  readonly idsOfResource = new Map<number, Set<string>>();
  readonly createdForEndpoint = new Map<string, string[]>();
  readonly errors: RecordedError[] = [];
  readonly firstFailure = new Map<number, Step>();
  readonly orphans: string[] = [];
  readonly unconfirmed: string[] = [];
  readonly texts: string[] = [];
  readonly logs: string[] = [];

  report(n: number, id: string): void {
    this.reported.add(id);
    const ids = this.idsOfResource.get(n) ?? new Set<string>();
    ids.add(id);
    this.idsOfResource.set(n, ids);
  }

  fail(r: ResourcePlan, step: Step, error: unknown, connectionId?: string): void {
    this.errors.push({ n: r.n, step, error, connectionId, endpointId: r.endpointId });
    if (!this.firstFailure.has(r.n)) this.firstFailure.set(r.n, step);
    const e = error as { message?: unknown; stack?: unknown } | null;
    this.texts.push(String(e?.message ?? error), typeof e?.stack === "string" ? e.stack : "", safeJson(error));
  }

  contradicts(r: ResourcePlan, step: Step, what: string): void {
    this.unconfirmed.push(`r${r.n} ${step}: ${what}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value ?? null) ?? "";
  } catch {
    return String(value);
  }
}

function sameEndpointId(a: string, b: string): boolean {
  return a.startsWith("/subscriptions/") ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Plays the operator and the world outside the program: holds, fails, deletes and renames connections as their
 * faults say, on the emulator's create hook and on the provider's first progress line for them — events, not
 * timers, so the effect does not depend on how fast the machine is.
 */
class Outside {
  private readonly resourceOfId = new Map<string, ResourcePlan>();
  private readonly acted = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stopHook: () => void;
  /** The endpoint whose create is being sent again while a late create of it waits (afterRetry). */
  private retriedEndpoint: string | undefined;

  constructor(private readonly emulator: Emulator, private readonly plan: SchedulePlan, private readonly seen: Observations) {
    this.stopHook = emulator.control.onCreated((view) => this.created(view));
  }

  private created(view: ConnectionView): void {
    const r = this.plan.resources.find((p) => sameEndpointId(p.endpointId, view.endpointId));
    const earlier = this.seen.createdForEndpoint.get(view.endpointId) ?? [];
    this.seen.createdForEndpoint.set(view.endpointId, [...earlier, view.id]);
    if (this.retriedEndpoint !== undefined && sameEndpointId(this.retriedEndpoint, view.endpointId)) {
      this.retriedEndpoint = undefined;
      // After this create has been answered: the late one then finds the endpoint taken.
      setImmediate(() => this.emulator.control.applyLateRequests());
    }
    if (!r || earlier.length > 0) return;
    this.resourceOfId.set(view.id, r);
    const control = this.emulator.control;
    switch (r.fault) {
      case "failedWhileCreating":
      case "neverReady":
      case "deletedWhileCreating":
      case "renamedWhileCreating":
        control.hold(view.id);
        break;
      case "slowProvisioning":
        control.hold(view.id);
        this.timers.push(setTimeout(() => control.connection(view.id) && control.hold(view.id, false), SLOW_PROVISIONING_MS));
        break;
    }
  }

  /** The provider's progress lines: the first one showing a connection PROVISIONING triggers its fault. */
  progress(line: string): void {
    const retried = / endpoint (\S+) failed in transit and created nothing \(checked\); sending it again$/.exec(line)?.[1];
    if (retried !== undefined && this.emulator.control.lateRequests().length > 0) {
      if (this.plan.lateApplication === "beforeRetry") this.emulator.control.applyLateRequests();
      else this.retriedEndpoint = retried;
      return;
    }
    const id = /^(plattc-[0-9a-z]+): PROVISIONING after /.exec(line)?.[1];
    const r = id ? this.resourceOfId.get(id) : undefined;
    if (!id || !r || this.acted.has(id)) return;
    this.acted.add(id);
    const control = this.emulator.control;
    if (r.fault === "failedWhileCreating") control.setPhase(id, "FAILED");
    else if (r.fault === "deletedWhileCreating") control.deleteConnection(id);
    else if (r.fault === "renamedWhileCreating") {
      control.rename(id, `renamed-outside-${r.n}`);
      control.hold(id, false);
    }
  }

  /** What the operator fixes before the next `pulumi up`: a FAILED connection recovers, a held one is released. */
  fix(id: string): void {
    const control = this.emulator.control;
    const view = control.connection(id);
    if (!view) return;
    if (view.forcedPhase) control.setPhase(id, null);
    if (view.held) control.hold(id, false);
  }

  /** Drift between the create and the refresh. */
  afterReady(r: ResourcePlan, id: string): void {
    const control = this.emulator.control;
    if (!control.connection(id)) return;
    if (r.fault === "renamedAfterReady") control.rename(id, `renamed-outside-${r.n}`);
    if (r.fault === "disconnectedAfterReady") control.setPhase(id, "DISCONNECTED");
  }

  stop(): void {
    this.stopHook();
    this.timers.forEach((t) => clearTimeout(t));
  }
}

const state = (props: object | undefined, inputs: CheckedInputs): Props => ({ ...(props ?? inputs), __provider: MARKER });
const withGenerousTimeouts = <T extends object>(props: T): T => ({ ...props, timeouts: { create: GENEROUS_TIMEOUT, update: GENEROUS_TIMEOUT, delete: GENEROUS_TIMEOUT } });

/** The user's commands for one resource; stops where a user would, after following what an error said to do. */
async function lifecycle(provider: PrivateLinkAttachmentConnectionProvider, emulator: Emulator, outside: Outside, seen: Observations, r: ResourcePlan): Promise<void> {
  const control = emulator.control;
  const checked = await provider.check({}, { ...r.args, __provider: MARKER });
  if (checked.failures?.length || !checked.inputs) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs;
  const expectReady = (step: Step, id: string, outs: ConnectionOutputs | undefined): void => {
    const view = control.connection(id);
    if (!view) return seen.contradicts(r, step, `${id} reported READY but is not on the server`);
    if (view.phase !== "READY" || outs?.phase !== "READY") seen.contradicts(r, step, `${id} reported ${String(outs?.phase)}, server ${view.phase}`);
    if (!sameEndpointId(view.endpointId, r.endpointId) || view.privateLinkAttachmentId !== r.attachmentId) seen.contradicts(r, step, `${id} is not the resource's endpoint and attachment`);
    if (view.displayName !== outs?.displayName) seen.contradicts(r, step, `${id} reported name ${String(outs?.displayName)}, server ${String(view.displayName)}`);
  };

  // create; after an init error, the next `pulumi up` (update) resumes once the operator has fixed the cause.
  let id: string;
  let outs: ConnectionOutputs | undefined;
  try {
    const created = await provider.create(inputs);
    id = created.id;
    outs = created.outs;
    seen.report(r.n, id);
    expectReady("create", id, outs);
  } catch (e) {
    const carried = (e as { id?: unknown }).id;
    seen.fail(r, "create", e, typeof carried === "string" ? carried : undefined);
    if (typeof carried !== "string") return;
    id = carried;
    seen.report(r.n, id);
    if (!control.connection(id)) {
      // Deleted outside the program, as the error says: the refresh drops it from the stack.
      try {
        const read = await provider.read(id, state(undefined, inputs));
        if (read.id) seen.contradicts(r, "refresh", `${id} read as existing after it was deleted`);
      } catch (again) {
        seen.fail(r, "refresh", again, id);
      }
      return;
    }
    outside.fix(id);
    try {
      const resumed = withGenerousTimeouts(inputs);
      outs = (await provider.update(id, state((e as { properties?: Props }).properties, inputs), resumed)).outs;
      expectReady("resume", id, outs);
    } catch (again) {
      seen.fail(r, "resume", again, id);
      return;
    }
  }

  outside.afterReady(r, id);
  const read = async (step: Step): Promise<boolean> => {
    try {
      const result = await provider.read(id, state(outs, inputs));
      seen.texts.push(safeJson(result));
      const view = control.connection(id);
      if (!result.id) {
        if (view) seen.contradicts(r, step, `${id} read as deleted but the server has it (${view.phase})`);
        return false;
      }
      const props = result.props;
      if (!view || props?.phase !== view.phase || props.displayName !== view.displayName) {
        seen.contradicts(r, step, `${id} read as ${String(props?.phase)}/${String(props?.displayName)}, server ${view?.phase}/${view?.displayName}`);
      }
      outs = props;
      return true;
    } catch (e) {
      seen.fail(r, step, e, id);
      return false;
    }
  };

  if (!(await read("read"))) return;
  const target = `${String(r.args.displayName)}-renamed`;
  try {
    outs = (await provider.update(id, state(outs, inputs), { ...inputs, displayName: target })).outs;
    const view = control.connection(id);
    if (view?.displayName !== target || outs?.displayName !== target) seen.contradicts(r, "update", `${id} renamed to ${String(outs?.displayName)}, server ${view?.displayName}`);
  } catch (e) {
    seen.fail(r, "update", e, id);
    return;
  }
  if (!(await read("read again"))) return;

  // delete; after a failure, the next `pulumi destroy` (with more time) tries again.
  const deleted = async (step: Step, props: object): Promise<boolean> => {
    try {
      await provider.delete(id, state(props, inputs));
      const view = control.connection(id);
      if (view) seen.orphans.push(`r${r.n} ${step}: ${id} still on the server (${view.phase}) after delete returned`);
      return true;
    } catch (e) {
      seen.fail(r, step, e, id);
      return false;
    }
  };
  if (!(await deleted("delete", outs ?? inputs))) await deleted("destroy again", withGenerousTimeouts(outs ?? inputs));
}

function judgeErrors(seen: Observations, emulator: Emulator): { clear: string[]; unclear: string[] } {
  const answers = new Map(emulator.control.requests().map((r) => [r.requestId, r.status] as const));
  const clear: string[] = [];
  const unclear: string[] = [];
  for (const e of seen.errors) {
    const message = String((e.error as { message?: unknown } | null)?.message ?? e.error);
    const unmet = unmetClauses(e.error, { operation: OPERATION_OF[e.step], connectionId: e.connectionId, endpointId: e.endpointId, answers });
    if (unmet.length === 0) clear.push(`${e.step}: ${elideIds(message).slice(0, 110)}`);
    else unclear.push(`r${e.n} ${e.step} (no ${unmet.join(", no ")}): ${message.slice(0, 400)}`);
  }
  return { clear, unclear };
}

/** Ids and elapsed times elided, so one kind of error is counted as one. */
function elideIds(text: string): string {
  return text.replace(/(?<=after )\d+(?:h\d+m|m\d+s|ms|s)\b|\b\d+(?:h\d+m|m\d+s|ms|s)(?= after)/g, "…").replace(/plattc-[0-9a-z]+|vpce-[0-9a-f]+|\/subscriptions\/\S+?pe-[0-9a-f]+|\b1\d{7}\b|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "…");
}

export async function runPlan(plan: SchedulePlan): Promise<ScheduleResult> {
  const started = Date.now();
  const emulator = await startEmulator({
    credentials: { apiKey: CANARY_KEY, apiSecret: CANARY_SECRET },
    quirks: plan.quirks,
    goneAs403: plan.goneAs403,
    timing: plan.timing,
    rateLimit: { requests: 100_000, windowMs: 60_000 },
  });
  const seen = new Observations();
  const outside = new Outside(emulator, plan, seen);
  try {
    for (const spec of plan.wireFaults) emulator.control.injectFault(spec);
    const options = {
      pollPolicy: { firstMs: 10, minMs: 10, ratio: 0.15, maxMs: 150 },
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      log: (level: string, line: string) => {
        seen.logs.push(`${level}: ${line}`);
        if (level === "info") outside.progress(line);
      },
    };
    const crashes: string[] = [];
    await withProvider(emulator, options, (provider) => Promise.all(plan.resources.map((r) =>
      lifecycle(provider, emulator, outside, seen, r).catch((e: unknown) => void crashes.push(`r${r.n}: ${(e as Error)?.stack ?? String(e)}`)))));
    outside.stop();

    const { clear, unclear } = judgeErrors(seen, emulator);
    const onServer = emulator.control.connections();
    const basic = Buffer.from(`${CANARY_KEY}:${CANARY_SECRET}`).toString("base64");
    const haystack = [...seen.texts, ...seen.logs].join("\n");
    const losses: { kind: Loss; detail: string }[] = [
      ...crashes.map((detail) => ({ kind: "crashed" as const, detail })),
      ...[CANARY_KEY, CANARY_SECRET, basic].filter((canary) => haystack.includes(canary)).map(() => ({ kind: "credentialLeak" as const, detail: "a canary credential in an error, output or log line" })),
      ...onServer.filter((c) => !seen.reported.has(c.id)).map((c) => ({ kind: "lostConnection" as const, detail: `${c.id} (${c.phase}) for ${c.endpointId} was never reported` })),
      ...[...seen.createdForEndpoint.entries()].filter(([, ids]) => ids.length > 1).map(([endpoint, ids]) => ({ kind: "duplicate" as const, detail: `${endpoint}: ${ids.join(", ")}` })),
      ...[...seen.idsOfResource.entries()].filter(([, ids]) => ids.size > 1).map(([n, ids]) => ({ kind: "duplicate" as const, detail: `r${n}: ${[...ids].join(", ")}` })),
      ...seen.orphans.map((detail) => ({ kind: "orphan" as const, detail })),
      ...seen.unconfirmed.map((detail) => ({ kind: "unconfirmed" as const, detail })),
      ...unclear.map((detail) => ({ kind: "unclearError" as const, detail })),
    ];
    return {
      index: plan.index,
      survivable: isSurvivable(plan),
      outcome: judge(losses.map((l) => l.kind), seen.errors.length > 0),
      steps: plan.resources.map((r) => `r${r.n} ${seen.firstFailure.get(r.n) ?? "ok"}`),
      faults: describeFaults(plan),
      losses,
      clearErrors: clear,
      ms: Date.now() - started,
    };
  } finally {
    outside.stop();
    await emulator.close();
  }
}

export function runSchedule(seed: number, index: number): Promise<ScheduleResult> {
  return runPlan(drawSchedule(seed, index));
}
