// READY detection: how late `create` returns after the emulator begins to serve what it created (a connection
// READY, an attachment WAITING_FOR_CONNECTIONS), and how many GETs it sends — ours beside a replay of the Terraform
// provider's create wait for the same kind (kinds.ts), against the same emulator, on the same scaled clock, in the
// same run.
import { startEmulator, type Emulator } from "../emulator";
import { ScaledClock } from "./clock";
import { EMULATOR_ENV } from "./env";
import type { ReadyKind, TerraformWait } from "./kinds";

export interface PollingFigures {
  overshootSeconds: number;
  gets: number;
}

export interface PollingRow {
  provisioningSeconds: number;
  ours: PollingFigures;
  terraform: PollingFigures;
}

function basicAuth(e: Emulator): string {
  return `Basic ${Buffer.from(`${e.credentials.apiKey}:${e.credentials.apiSecret}`).toString("base64")}`;
}

/** The Terraform provider's create, replayed up to the end of its wait: POST, then its StateChangeConf's schedule. */
async function terraformCreate(emulator: Emulator, clock: ScaledClock, kind: ReadyKind): Promise<string> {
  const headers = { Authorization: basicAuth(emulator), "Content-Type": "application/json" };
  const { delayMs, pollIntervalMs, pending, target } = kind.terraformWait;
  const posted = await fetch(`${emulator.url}${kind.collection}`, { method: "POST", headers, body: JSON.stringify(kind.terraformBody()) });
  if (!posted.ok) throw new Error(`Terraform replay: POST ${kind.collection} answered ${posted.status}`);
  const { id } = (await posted.json()) as { id: string };
  await clock.sleep(delayMs);
  for (;;) {
    const res = await fetch(`${emulator.url}${kind.collection}/${id}?environment=${EMULATOR_ENV}`, { headers });
    const phase = ((await res.json()) as { status?: { phase?: string } }).status?.phase ?? `HTTP ${res.status}`;
    if (target.includes(phase)) return id;
    if (!pending.includes(phase)) throw new Error(`Terraform replay: ${id} is ${phase}, neither pending nor a target`);
    await clock.sleep(pollIntervalMs);
  }
}

/** Starts a create with the emulator set to provision in `seconds`, returning once the POST has landed. */
async function launch(emulator: Emulator, clock: ScaledClock, kind: ReadyKind, seconds: number, start: () => Promise<string>): Promise<{ done: Promise<{ id: string; returnedAt: number }> }> {
  const before = kind.count(emulator);
  kind.provisionFor(emulator, seconds * 1000);
  const done = start().then((id) => ({ id, returnedAt: clock.now() }));
  let failed = false;
  done.catch(() => (failed = true)); // awaited later; an early failure ends the wait for the POST below
  while (!failed && kind.count(emulator) === before) await new Promise((r) => setTimeout(r, 2));
  return { done };
}

function figures(emulator: Emulator, kind: ReadyKind, id: string, returnedAt: number): PollingFigures {
  const servingAt = kind.servingAtMs(emulator, id);
  if (servingAt === null) throw new Error(`${kind.name} ${id} has no time at which it began to serve`);
  const gets = emulator.control.requests().filter((r) => r.method === "GET" && r.path.endsWith(`/${id}`)).length;
  return { overshootSeconds: Math.max(0, (returnedAt - servingAt) / 1000), gets };
}

export interface PollingRun {
  scale: number;
  rows: PollingRow[];
}

/** Means over the seeded draws of provisioning time, and the rows they are taken over. */
interface PollingMean {
  draws: number;
  seed: number;
  ours: PollingFigures;
  terraform: PollingFigures;
  rows: PollingRow[];
}

/** One kind's READY detection: the Terraform wait replayed, the fixed provisioning times, the seeded draws. */
export interface KindPolling {
  terraformWait: TerraformWait;
  fixed: PollingRow[];
  mean: PollingMean;
}

/** The provisioning times measured: fixed ones, and `count` seeded draws in [min, max] seconds. */
export interface PollingPlan {
  fixedSeconds: number[];
  draws: { count: number; min: number; max: number; seed: number };
}

/** Measures every provisioning time of one kind concurrently: one of ours and one Terraform replay each. */
export async function measurePolling(kind: ReadyKind, provisioningSeconds: number[], scale: number): Promise<PollingRun> {
  const clock = new ScaledClock(scale);
  const emulator = await startEmulator({ clock, rateLimit: { requests: 1_000_000, windowMs: 60_000 }, timing: { deprovisioningMs: 0 } });
  try {
    const rows = await kind.withCreate(emulator, clock, async (oursCreate) => {
      const pending = [];
      for (const seconds of provisioningSeconds) {
        const ours = (await launch(emulator, clock, kind, seconds, oursCreate)).done;
        const terraform = (await launch(emulator, clock, kind, seconds, () => terraformCreate(emulator, clock, kind))).done;
        pending.push({ seconds, ours, terraform });
      }
      const measured: PollingRow[] = [];
      for (const p of pending) {
        const [ours, terraform] = [await p.ours, await p.terraform];
        measured.push({ provisioningSeconds: p.seconds, ours: figures(emulator, kind, ours.id, ours.returnedAt), terraform: figures(emulator, kind, terraform.id, terraform.returnedAt) });
      }
      return measured;
    });
    return { scale, rows };
  } finally {
    await emulator.close();
  }
}

/** One kind at every provisioning time of `plan`, all at once: the fixed times' rows and the means over the draws. */
export async function measureKind(kind: ReadyKind, plan: PollingPlan, scale: number): Promise<KindPolling> {
  const { count, min, max, seed } = plan.draws;
  const run = await measurePolling(kind, [...plan.fixedSeconds, ...seededDraws(count, min, max, seed)], scale);
  const fixed = run.rows.slice(0, plan.fixedSeconds.length);
  const drawn = run.rows.slice(plan.fixedSeconds.length);
  return { terraformWait: kind.terraformWait, fixed, mean: { draws: count, seed, ours: mean(drawn, "ours"), terraform: mean(drawn, "terraform"), rows: drawn } };
}

/** Seeded uniform draws in [min, max] (mulberry32), so every run measures the same provisioning times. */
export function seededDraws(count: number, min: number, max: number, seed: number): number[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Math.round((min + next() * (max - min)) * 10) / 10);
}

export function mean(rows: PollingRow[], side: "ours" | "terraform"): PollingFigures {
  const n = rows.length || 1;
  return {
    overshootSeconds: rows.reduce((s, r) => s + r[side].overshootSeconds, 0) / n,
    gets: rows.reduce((s, r) => s + r[side].gets, 0) / n,
  };
}
