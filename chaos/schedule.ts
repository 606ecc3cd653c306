// One chaos schedule: several connections go through create → read → rename → read → delete at once, through
// one provider instance, while the emulator injects faults. Afterwards the emulator's connections are compared
// with what the provider reported.
import { startEmulator, type Emulator, type FaultSpec } from "../emulator";
import { withProvider } from "../bench/env";
import type { PrivateLinkAttachmentConnectionProvider } from "../provider/provider";
import { clarityGaps } from "./contract";
import { Random } from "./random";

/** How one connection's lifecycle ended. Anything but the first two is a loss. */
export type LifecycleOutcome = "succeeded" | "failedClearly" | "unclearError" | "unconfirmed" | "droppedWithoutError";

/** How a schedule ended: succeeded or failedClearly, else the loss that marks it (first of LOSSES it shows). */
export type ScheduleOutcome = "succeeded" | "failedClearly" | Loss;

/** Loss categories, in the order a schedule showing several is filed under. */
export const LOSSES = ["crashed", "lostConnection", "duplicate", "orphan", "credentialLeak", "unconfirmed", "droppedWithoutError", "unclearError"] as const;
export type Loss = (typeof LOSSES)[number];

export interface ScheduleResult {
  index: number;
  outcome: ScheduleOutcome;
  /** Per resource: its outcome and, when it did not succeed, the step that stopped it. */
  lifecycles: { outcome: LifecycleOutcome; stoppedAt?: string }[];
  /** No drawn fault stops a lifecycle by design (FAILED, held in PROVISIONING or deleted while waiting). */
  survivable: boolean;
  losses: Record<Loss, string[]>;
  faults: string[];
  /** Every error the provider raised that met the contract, by step (e.g. "create: … FAILED …"). */
  clearErrors: string[];
  ms: number;
}

type Props = Record<string, unknown>;

const CONNECTIONS = "/networking/v1/private-link-attachment-connections";
const CANARY_KEY = "CHAOSKEYCANARY7Q";
const CANARY_SECRET = "chaos-secret-canary-9f8e7d6c5b4a";
const ATTACHMENTS = [
  { cloud: "aws", id: "platt-emuaws" },
  { cloud: "azure", id: "platt-emuazure" },
  { cloud: "gcp", id: "platt-emugcp" },
] as const;
const ATTEMPT_TIMEOUT_MS = 400;

function endpointArgs(rng: Random, index: number, n: number): Props {
  const { cloud, id } = rng.pick(ATTACHMENTS);
  const tag = (index * 16 + n).toString(16);
  const endpoint = cloud === "aws"
    ? { aws: { vpcEndpointId: `vpce-${tag.padStart(17, "0")}` } }
    : cloud === "azure"
      ? { azure: { privateEndpointResourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/chaos/providers/Microsoft.Network/privateEndpoints/pe-${tag}` } }
      : { gcp: { privateServiceConnectConnectionId: String(10_000_000 + index * 16 + n) } };
  return { displayName: `chaos-${index}-${n}`, environment: { id: "env-emu000" }, privateLinkAttachment: { id }, ...endpoint, timeouts: { create: "4s", update: "4s", delete: "4s" } };
}

/** The faults of one schedule: what goes wrong on the wire. */
function wireFaults(rng: Random): FaultSpec[] {
  const menu: (() => FaultSpec)[] = [
    () => ({ method: rng.pick(["GET", "POST", "PATCH", "DELETE"]), path: `${CONNECTIONS}*`, status: 429, count: rng.int(1, 4) }),
    () => ({ method: rng.pick(["GET", "POST"]), path: `${CONNECTIONS}*`, status: 429, count: rng.int(1, 3), headers: { "Retry-After": null } }),
    () => ({ method: "GET", path: `${CONNECTIONS}*`, status: 429, count: 2, headers: { "Retry-After": null, "X-RateLimit-Reset": null } }),
    () => ({ method: rng.pick(["GET", "POST", "PATCH", "DELETE"]), path: `${CONNECTIONS}*`, status: rng.pick([500, 502, 503]), count: rng.int(1, 2) }),
    () => ({ method: rng.pick(["POST", "PATCH", "DELETE", "GET"]), path: `${CONNECTIONS}*`, reset: true, when: rng.pick(["before", "after"] as const), count: 1 }),
    () => ({ method: "GET", path: `${CONNECTIONS}/*`, delayMs: ATTEMPT_TIMEOUT_MS + 150, count: rng.int(1, 2) }),
    () => ({ method: "GET", path: `${CONNECTIONS}`, status: 503, count: 1 }),
  ];
  return Array.from({ length: rng.int(0, 4) }, () => rng.pick(menu)());
}

interface Tracker {
  /** Every connection id the provider handed back: create results and init errors. */
  reported: Set<string>;
  /** Ids reported per resource: more than one means the provider created twice for one resource. */
  perResource: Map<number, Set<string>>;
  deleted: Set<string>;
  clear: string[];
  unclear: string[];
  unconfirmed: string[];
  texts: string[];
}

/** One resource's view: which errors it met, for its outcome. */
interface Life {
  endpointId: string;
  id?: string;
  unclear: boolean;
  stoppedAt?: string;
}

function endpointIdOf(args: Props): string {
  const endpoint = (args.aws ?? args.azure ?? args.gcp) as Record<string, string>;
  return Object.values(endpoint)[0]!;
}

/** Files an error as clear or not by the contract; the first error a lifecycle meets is where it stopped. */
function judge(t: Tracker, life: Life, step: string, e: unknown): void {
  const err = e as Partial<Error> & { requestId?: unknown };
  t.texts.push(typeof err?.message === "string" ? err.message : "", JSON.stringify(e ?? null), String(err?.stack ?? ""));
  life.stoppedAt ??= step;
  const facts = { connectionId: life.id ?? (typeof (e as { id?: unknown })?.id === "string" ? (e as { id: string }).id : undefined), endpointId: life.endpointId, requestId: typeof err?.requestId === "string" ? err.requestId : undefined };
  const gaps = clarityGaps(e, facts);
  const name = err?.constructor?.name ?? typeof e;
  if (gaps.length > 0) {
    life.unclear = true;
    t.unclear.push(`${step}: ${name}: missing ${gaps.join(", ")}: ${String(err?.message ?? e).slice(0, 300)}`);
  } else {
    t.clear.push(`${step}: ${String(err.message).replace(/plattc-[0-9a-f]+|vpce-[0-9a-f]+|[0-9a-f-]{36}|\/subscriptions\/\S+|\b\d{8}\b/g, "…").slice(0, 110)}`);
  }
}

/** A step the provider reported done must show on the emulator; a mismatch is a loss. */
function confirm(t: Tracker, life: Life, step: string, ok: boolean, detail: string): boolean {
  if (!ok) {
    t.unconfirmed.push(`${step} ${life.id}: ${detail}`);
    life.stoppedAt ??= step;
  }
  return ok;
}

async function lifecycle(provider: PrivateLinkAttachmentConnectionProvider, emulator: Emulator, rng: Random, t: Tracker, index: number, n: number): Promise<{ outcome: LifecycleOutcome; stoppedAt?: string }> {
  const args = endpointArgs(rng, index, n);
  const life: Life = { endpointId: endpointIdOf(args), unclear: false };
  const outcome = (): { outcome: LifecycleOutcome; stoppedAt?: string } => {
    if (t.unconfirmed.some((u) => life.id !== undefined && u.includes(life.id))) return { outcome: "unconfirmed", stoppedAt: life.stoppedAt };
    if (life.unclear) return { outcome: "unclearError", stoppedAt: life.stoppedAt };
    return life.stoppedAt === undefined ? { outcome: "succeeded" } : { outcome: "failedClearly", stoppedAt: life.stoppedAt };
  };
  const report = (id: string) => {
    life.id = id;
    t.reported.add(id);
    const ids = t.perResource.get(n) ?? new Set<string>();
    ids.add(id);
    t.perResource.set(n, ids);
  };
  const checked = await provider.check({}, { ...args, __provider: "chaos" });
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs as Props;
  let outs: Props | undefined;
  let ready = false;
  const readyOnEmulator = () => confirm(t, life, "create", emulator.control.connection(life.id!)?.phase === "READY", `reported READY, emulator shows ${emulator.control.connection(life.id!)?.phase ?? "nothing"}`);

  try {
    const created = await provider.create(inputs);
    report(created.id);
    outs = created.outs as Props;
    ready = readyOnEmulator();
  } catch (e) {
    const carried = (e as { id?: unknown }).id;
    if (typeof carried === "string") report(carried);
    judge(t, life, "create", e);
    if (life.id) {
      outs = (e as { properties?: Props }).properties;
      // The next `pulumi up`: update resumes the wait.
      try {
        outs = (await provider.update(life.id, outs ?? {}, inputs)).outs as Props;
        ready = readyOnEmulator();
      } catch (again) {
        judge(t, life, "resume", again);
      }
    }
  }
  const id = life.id;
  if (!id) return outcome();
  // A create that failed but was resumed to READY counts as reaching READY: that is what the next `pulumi up` does.
  if (ready && life.stoppedAt === "create" && !life.unclear) life.stoppedAt = undefined;

  // Out-of-band events while the lifecycle goes on.
  if (rng.chance(0.15)) emulator.control.connection(id) && emulator.control.rename(id, `renamed-${n}`);
  if (rng.chance(0.1)) emulator.control.connection(id) && emulator.control.setPhase(id, "DISCONNECTED");

  const newName = `chaos-${index}-${n}-renamed`;
  for (const step of ["read", "rename", "read"] as const) {
    try {
      if (step === "read") {
        const read = await provider.read(id, { ...(outs ?? inputs), __provider: "chaos" });
        t.texts.push(JSON.stringify(read));
        if (!read.id) {
          confirm(t, life, "read", !emulator.control.connection(id), "reported gone, the emulator still has it");
          if (life.stoppedAt === undefined) {
            life.stoppedAt = "read";
            t.unconfirmed.push(`read ${id}: dropped from state with no error before`);
            return { outcome: "droppedWithoutError", stoppedAt: "read" };
          }
          return outcome();
        }
        outs = read.props as Props;
      } else {
        outs = (await provider.update(id, { ...(outs ?? inputs) }, { ...inputs, displayName: newName })).outs as Props;
        const seen = emulator.control.connection(id)?.displayName;
        confirm(t, life, "rename", seen === newName, `reported renamed to ${newName}, emulator shows ${seen ?? "nothing"}`);
      }
    } catch (e) {
      judge(t, life, step, e);
    }
  }
  try {
    await provider.delete(id, { ...(outs ?? inputs), __provider: "chaos" });
    t.deleted.add(id);
  } catch (e) {
    judge(t, life, "delete", e);
    // A later `pulumi destroy` tries again.
    try {
      await provider.delete(id, { ...(outs ?? inputs), __provider: "chaos" });
      t.deleted.add(id);
    } catch (again) {
      judge(t, life, "delete again", again);
    }
  }
  if (t.deleted.has(id)) confirm(t, life, "delete", !emulator.control.connection(id), `reported deleted, emulator shows ${emulator.control.connection(id)?.phase}`);
  return outcome();
}

/** Lifecycle events injected on a timer: FAILED, never-ready, out-of-band delete or rename mid-wait. */
function lifecycleFaults(emulator: Emulator, rng: Random, faults: string[], fired: string[]): () => void {
  const timers: NodeJS.Timeout[] = [];
  const count = rng.int(0, 2);
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(["FAILED", "hold", "delete", "rename"] as const);
    const at = rng.int(5, 120);
    const clearAfter = rng.int(50, 5000);
    const pick = rng.next();
    faults.push(`${kind}@${at}ms`);
    timers.push(setTimeout(() => {
      // Mid-wait only: a rename of a READY connection would race the lifecycle's own rename.
      const targets = emulator.control.connections().filter((c) => c.phase === "PROVISIONING");
      const c = targets[Math.floor(pick * targets.length)];
      if (!c) return;
      fired.push(kind);
      if (kind === "FAILED") emulator.control.setPhase(c.id, "FAILED");
      else if (kind === "hold") emulator.control.hold(c.id, true);
      else if (kind === "delete") emulator.control.deleteConnection(c.id);
      else emulator.control.rename(c.id, "renamed-mid-wait");
      // Faults clear later, as an operator would fix them, so resumes can succeed.
      if (kind === "FAILED" || kind === "hold") {
        timers.push(setTimeout(() => {
          if (!emulator.control.connection(c.id)) return;
          if (kind === "FAILED") emulator.control.setPhase(c.id, null);
          else emulator.control.hold(c.id, false);
        }, clearAfter));
      }
    }, at));
  }
  return () => timers.forEach((timer) => clearTimeout(timer));
}

const STOPPING_FAULTS = new Set(["FAILED", "hold", "delete"]);

export async function runSchedule(seed: number, index: number): Promise<ScheduleResult> {
  const started = Date.now();
  const rng = Random.forSchedule(seed, index);
  const emulator = await startEmulator({
    credentials: { apiKey: CANARY_KEY, apiSecret: CANARY_SECRET },
    quirks: rng.chance(0.3),
    timing: { provisioningMs: rng.int(10, 150), deprovisioningMs: rng.int(10, 100) },
    rateLimit: { requests: 100_000, windowMs: 60_000 },
  });
  const faults: string[] = [];
  const fired: string[] = [];
  const tracker: Tracker = { reported: new Set(), perResource: new Map(), deleted: new Set(), clear: [], unclear: [], unconfirmed: [], texts: [] };
  const logs: string[] = [];
  let stopTimers = () => undefined as void;
  try {
    for (const spec of wireFaults(rng)) {
      emulator.control.injectFault(spec);
      faults.push(`${spec.method} ${spec.status ?? (spec.reset ? `reset-${spec.when}` : `delay${spec.delayMs}`)}×${spec.count}${spec.headers ? " -headers" : ""}`);
    }
    const options = {
      pollPolicy: { firstMs: 10, minMs: 10, ratio: 0.15, maxMs: 150 },
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      log: (level: string, line: string) => logs.push(`${level}: ${line}`),
    };
    // Each resource draws from a stream of its own, so the order in which concurrent steps finish cannot
    // change what another resource draws.
    const timerRng = new Random(rng.int(0, 0xffffffff));
    const resources = rng.int(2, 4);
    const lifeRngs = Array.from({ length: resources }, () => new Random(rng.int(0, 0xffffffff)));
    const lifecycles = await withProvider(emulator, options, async (provider) => {
      stopTimers = lifecycleFaults(emulator, timerRng, faults, fired);
      const ends = await Promise.all(lifeRngs.map((lifeRng, n) =>
        lifecycle(provider, emulator, lifeRng, tracker, index, n).catch((e) => {
          tracker.unclear.push(`lifecycle ${n} threw: ${(e as Error)?.stack ?? String(e)}`);
          return { outcome: "unclearError" as const, stoppedAt: "lifecycle" };
        })));
      stopTimers();
      return ends;
    });

    // Let deletions that were accepted finish deprovisioning before judging.
    await new Promise((resolve) => setTimeout(resolve, emulator.timing.deprovisioningMs + 20));
    const onServer = emulator.control.connections();
    const byEndpoint = new Map<string, string[]>();
    for (const c of onServer) byEndpoint.set(c.endpointId, [...(byEndpoint.get(c.endpointId) ?? []), c.id]);
    const basic = Buffer.from(`${CANARY_KEY}:${CANARY_SECRET}`).toString("base64");
    const haystack = [...tracker.texts, ...logs].join("\n");
    const losses: Record<Loss, string[]> = {
      crashed: [],
      lostConnection: onServer.filter((c) => !tracker.reported.has(c.id)).map((c) => `${c.id} (${c.phase})`),
      duplicate: [
        ...[...byEndpoint.entries()].filter(([, ids]) => ids.length > 1).map(([endpoint, ids]) => `${endpoint}: ${ids.join(", ")}`),
        ...[...tracker.perResource.entries()].filter(([, ids]) => ids.size > 1).map(([n, ids]) => `resource ${n}: ${[...ids].join(", ")}`),
      ],
      orphan: onServer.filter((c) => tracker.deleted.has(c.id)).map((c) => `${c.id} (${c.phase})`),
      credentialLeak: [CANARY_KEY, CANARY_SECRET, basic].filter((canary) => haystack.includes(canary)),
      unconfirmed: tracker.unconfirmed.filter((u) => !u.includes("dropped from state")),
      droppedWithoutError: tracker.unconfirmed.filter((u) => u.includes("dropped from state")),
      unclearError: tracker.unclear,
    };
    const loss = LOSSES.find((l) => losses[l].length > 0);
    const outcome: ScheduleOutcome = loss ?? (lifecycles.every((l) => l.outcome === "succeeded") ? "succeeded" : "failedClearly");
    return {
      index, outcome, lifecycles, survivable: !fired.some((kind) => STOPPING_FAULTS.has(kind)), losses, faults,
      clearErrors: tracker.clear, ms: Date.now() - started,
    };
  } finally {
    stopTimers();
    await emulator.close();
  }
}

export function crashedSchedule(index: number, error: unknown): ScheduleResult {
  const losses = Object.fromEntries(LOSSES.map((l) => [l, [] as string[]])) as unknown as Record<Loss, string[]>;
  losses.crashed.push(`the schedule itself failed: ${(error as Error)?.stack ?? String(error)}`);
  return { index, outcome: "crashed", lifecycles: [], survivable: false, losses, faults: [], clearErrors: [], ms: 0 };
}
