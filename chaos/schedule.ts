// One chaos schedule: several connections go through create → read → rename → read → delete at once, through
// one provider instance, while the emulator injects faults. Afterwards the emulator's connections are compared
// with what the provider reported.
import { startEmulator, type Emulator, type FaultSpec } from "../emulator";
import { withProvider } from "../bench/env";
import type { PrivateLinkAttachmentConnectionProvider } from "../provider/provider";
import { Random } from "./random";

export interface ScheduleResult {
  index: number;
  lost: string[];
  duplicates: string[];
  orphans: string[];
  unexpectedErrors: string[];
  credentialLeaks: string[];
  faults: string[];
  /** Clear errors users could act on, by kind (e.g. "create: FAILED"). */
  expectedErrors: string[];
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
/** Errors that signal a bug rather than a situation a user can act on. */
const BUG_ERRORS = new Set(["TypeError", "ReferenceError", "RangeError", "SyntaxError"]);
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
  unexpected: string[];
  expected: string[];
  texts: string[];
}

function classify(t: Tracker, step: string, e: unknown): void {
  const err = e as Partial<Error> & { id?: unknown; reasons?: unknown };
  const name = err?.constructor?.name ?? typeof e;
  const message = typeof err?.message === "string" ? err.message : "";
  t.texts.push(message, JSON.stringify(e ?? null), String(err?.stack ?? ""));
  if (!(e instanceof Error) || BUG_ERRORS.has(name) || message.length < 15 || /\[object Object\]|undefined is not|Cannot read prop/.test(message)) {
    t.unexpected.push(`${step}: ${name}: ${message.slice(0, 300)}`);
  } else {
    t.expected.push(`${step}: ${message.replace(/plattc-[0-9a-f]+|vpce-[0-9a-f]+|[0-9a-f-]{36}/g, "…").slice(0, 90)}`);
  }
}

async function lifecycle(provider: PrivateLinkAttachmentConnectionProvider, emulator: Emulator, rng: Random, t: Tracker, index: number, n: number): Promise<void> {
  const report = (id: string) => {
    t.reported.add(id);
    const ids = t.perResource.get(n) ?? new Set<string>();
    ids.add(id);
    t.perResource.set(n, ids);
  };
  const checked = await provider.check({}, { ...endpointArgs(rng, index, n), __provider: "chaos" });
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs as Props;
  let id: string | undefined;
  let outs: Props | undefined;

  try {
    const created = await provider.create(inputs);
    id = created.id;
    outs = created.outs as Props;
    report(id);
  } catch (e) {
    classify(t, "create", e);
    const carried = (e as { id?: unknown }).id;
    if (typeof carried === "string") {
      id = carried;
      report(id);
      outs = (e as { properties?: Props }).properties;
      // The next `pulumi up`: update resumes the wait.
      try {
        outs = (await provider.update(id, outs ?? {}, inputs)).outs as Props;
      } catch (again) {
        classify(t, "resume", again);
      }
    }
  }
  if (!id) return;

  // Out-of-band events while the lifecycle goes on.
  if (rng.chance(0.15)) emulator.control.connection(id) && emulator.control.rename(id, `renamed-${n}`);
  if (rng.chance(0.1)) emulator.control.connection(id) && emulator.control.setPhase(id, "DISCONNECTED");

  let exists = true;
  for (const step of ["read", "rename", "read"] as const) {
    try {
      if (step === "read") {
        const read = await provider.read(id, { ...(outs ?? inputs), __provider: "chaos" });
        t.texts.push(JSON.stringify(read));
        if (!read.id) {
          exists = false;
          break;
        }
        outs = read.props as Props;
      } else {
        const renamed = { ...inputs, displayName: `chaos-${index}-${n}-renamed` };
        outs = (await provider.update(id, { ...(outs ?? inputs) }, renamed)).outs as Props;
      }
    } catch (e) {
      classify(t, step, e);
    }
  }
  if (!exists) return;
  try {
    await provider.delete(id, { ...(outs ?? inputs), __provider: "chaos" });
    t.deleted.add(id);
  } catch (e) {
    classify(t, "delete", e);
    // A later `pulumi destroy` tries again.
    try {
      await provider.delete(id, { ...(outs ?? inputs), __provider: "chaos" });
      t.deleted.add(id);
    } catch (again) {
      classify(t, "delete again", again);
    }
  }
}

/** Lifecycle events injected on a timer: FAILED, never-ready, out-of-band delete mid-wait. */
function lifecycleFaults(emulator: Emulator, rng: Random, faults: string[]): () => void {
  const timers: NodeJS.Timeout[] = [];
  const count = rng.int(0, 2);
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(["FAILED", "hold", "delete", "rename"] as const);
    const at = rng.int(5, 120);
    faults.push(`${kind}@${at}ms`);
    timers.push(setTimeout(() => {
      const targets = emulator.control.connections().filter((c) => c.phase === "PROVISIONING" || kind === "rename");
      const c = targets.length > 0 ? rng.pick(targets) : undefined;
      if (!c) return;
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
        }, rng.int(50, 5000)));
      }
    }, at));
  }
  return () => timers.forEach((timer) => clearTimeout(timer));
}

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
  const tracker: Tracker = { reported: new Set(), perResource: new Map(), deleted: new Set(), unexpected: [], expected: [], texts: [] };
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
    await withProvider(emulator, options, async (provider) => {
      stopTimers = lifecycleFaults(emulator, rng, faults);
      const resources = rng.int(2, 4);
      await Promise.all(Array.from({ length: resources }, (_, n) =>
        lifecycle(provider, emulator, rng, tracker, index, n).catch((e) => classify(tracker, "lifecycle", e))));
      stopTimers();
    });

    // Let deletions that were accepted finish deprovisioning before judging.
    await new Promise((resolve) => setTimeout(resolve, emulator.timing.deprovisioningMs + 20));
    const onServer = emulator.control.connections();
    const lost = onServer.filter((c) => !tracker.reported.has(c.id)).map((c) => `${c.id} (${c.phase})`);
    const orphans = onServer.filter((c) => tracker.deleted.has(c.id)).map((c) => `${c.id} (${c.phase})`);
    const byEndpoint = new Map<string, string[]>();
    for (const c of onServer) byEndpoint.set(c.endpointId, [...(byEndpoint.get(c.endpointId) ?? []), c.id]);
    const duplicates = [
      ...[...byEndpoint.entries()].filter(([, ids]) => ids.length > 1).map(([endpoint, ids]) => `${endpoint}: ${ids.join(", ")}`),
      ...[...tracker.perResource.entries()].filter(([, ids]) => ids.size > 1).map(([n, ids]) => `resource ${n}: ${[...ids].join(", ")}`),
    ];
    const basic = Buffer.from(`${CANARY_KEY}:${CANARY_SECRET}`).toString("base64");
    const haystack = [...tracker.texts, ...logs].join("\n");
    const credentialLeaks = [CANARY_KEY, CANARY_SECRET, basic].filter((canary) => haystack.includes(canary));
    return {
      index, lost, duplicates, orphans, unexpectedErrors: tracker.unexpected, credentialLeaks, faults,
      expectedErrors: tracker.expected, ms: Date.now() - started,
    };
  } finally {
    stopTimers();
    await emulator.close();
  }
}
