// READY detection: how late `create` returns after the emulator turns READY, and how many GETs it sends —
// ours beside a replay of the Terraform provider's schedule (first poll 5 s after the POST, then every 60 s),
// against the same emulator, on the same scaled clock, in the same run.
import { startEmulator, type Emulator } from "../emulator";
import type { PrivateLinkAttachmentConnectionProvider } from "../provider";
import { awsInputs, nextVpcEndpointId, withProvider } from "./env";
import { ScaledClock } from "./clock";

export interface PollingFigures {
  overshootSeconds: number;
  gets: number;
}

export interface PollingRow {
  provisioningSeconds: number;
  ours: PollingFigures;
  terraform: PollingFigures;
}

const ENV = "env-emu000";
const AWS_ATTACHMENT = "platt-emuaws";
const TERRAFORM_FIRST_POLL_S = 5;
const TERRAFORM_INTERVAL_S = 60;

function basicAuth(e: Emulator): string {
  return `Basic ${Buffer.from(`${e.credentials.apiKey}:${e.credentials.apiSecret}`).toString("base64")}`;
}

/** The Terraform provider's create wait, replayed: POST, GET after 5 s, then every 60 s until READY. */
async function terraformCreate(emulator: Emulator, clock: ScaledClock): Promise<string> {
  const headers = { Authorization: basicAuth(emulator), "Content-Type": "application/json" };
  const body = {
    spec: { display_name: "terraform", cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: nextVpcEndpointId() }, environment: { id: ENV }, private_link_attachment: { id: AWS_ATTACHMENT } },
  };
  const created = (await (await fetch(`${emulator.url}/networking/v1/private-link-attachment-connections`, { method: "POST", headers, body: JSON.stringify(body) })).json()) as { id: string };
  await clock.sleep(TERRAFORM_FIRST_POLL_S * 1000);
  for (;;) {
    const res = await fetch(`${emulator.url}/networking/v1/private-link-attachment-connections/${created.id}?environment=${ENV}`, { headers });
    const phase = ((await res.json()) as { status?: { phase?: string } }).status?.phase;
    if (phase === "READY") return created.id;
    await clock.sleep(TERRAFORM_INTERVAL_S * 1000);
  }
}

async function oursCreate(provider: PrivateLinkAttachmentConnectionProvider): Promise<string> {
  return (await provider.create(await awsInputs(provider, "ours"))).id;
}

/** Starts a create with the emulator set to provision in `seconds`, returning once the POST has landed. */
async function launch(emulator: Emulator, clock: ScaledClock, seconds: number, start: () => Promise<string>): Promise<{ done: Promise<{ id: string; returnedAt: number }> }> {
  const before = emulator.control.connections().length;
  emulator.control.configure({ timing: { provisioningMs: seconds * 1000 } });
  const done = start().then((id) => ({ id, returnedAt: clock.now() }));
  let failed = false;
  done.catch(() => (failed = true)); // awaited later; an early failure ends the wait for the POST below
  while (!failed && emulator.control.connections().length === before) await new Promise((r) => setTimeout(r, 2));
  return { done };
}

function figures(emulator: Emulator, id: string, returnedAt: number): PollingFigures {
  const c = emulator.control.connection(id);
  if (!c || c.readyAtMs === null) throw new Error(`${id} has no READY time`);
  const gets = emulator.control.requests().filter((r) => r.method === "GET" && r.path.endsWith(`/${id}`)).length;
  return { overshootSeconds: Math.max(0, (returnedAt - c.readyAtMs) / 1000), gets };
}

export interface PollingRun {
  scale: number;
  rows: PollingRow[];
}

/** Measures every provisioning time concurrently: one of ours and one Terraform replay each. */
export async function measurePolling(provisioningSeconds: number[], scale: number): Promise<PollingRun> {
  const clock = new ScaledClock(scale);
  const emulator = await startEmulator({ clock, rateLimit: { requests: 1_000_000, windowMs: 60_000 }, timing: { deprovisioningMs: 0 } });
  try {
    const rows = await withProvider(emulator, { clock }, async (provider) => {
      const pending = [];
      for (const seconds of provisioningSeconds) {
        const ours = (await launch(emulator, clock, seconds, () => oursCreate(provider))).done;
        const terraform = (await launch(emulator, clock, seconds, () => terraformCreate(emulator, clock))).done;
        pending.push({ seconds, ours, terraform });
      }
      const measured: PollingRow[] = [];
      for (const p of pending) {
        const [ours, terraform] = [await p.ours, await p.terraform];
        measured.push({ provisioningSeconds: p.seconds, ours: figures(emulator, ours.id, ours.returnedAt), terraform: figures(emulator, terraform.id, terraform.returnedAt) });
      }
      return measured;
    });
    return { scale, rows };
  } finally {
    await emulator.close();
  }
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
