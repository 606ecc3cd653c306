// One chaos schedule: several connections go through their lifecycles at once through one provider instance, some
// on an attachment the schedule creates (and deletes after them) through the attachment's provider, while the
// emulator injects the plan's faults. Every step a provider reports as done is checked on the emulator's own view;
// every error is judged against the clear-error contract; afterwards the emulator's resources are compared with
// what the providers reported.
import { startEmulator, type Emulator } from "../emulator";
import { withProvider, withProviderOf } from "../bench/env";
import { PrivateLinkAttachmentProvider } from "../provider/attachment/provider";
import type { ProviderOptions } from "../provider/core/operation";
import { attachmentLifecycle, observedAttachment } from "./attachment-lifecycle";
import { connectionLifecycle, observedConnection, type ConnectionRun } from "./connection-lifecycle";
import { unmetClauses } from "./contract";
import { OPERATION_OF, Observations } from "./observations";
import { judge, type Loss, type Outcome } from "./outcome";
import { Outside } from "./outside";
import { ATTEMPT_TIMEOUT_MS, describeFaults, drawSchedule, isSurvivable, type SchedulePlan } from "./plan";

export interface ScheduleResult {
  index: number;
  survivable: boolean;
  outcome: Outcome;
  /** Per resource, `<label> ok`, `<label> <step of its first error>` or `<label> skipped`: with the outcome, what a rerun must reproduce. */
  steps: string[];
  faults: string[];
  /** What went wrong, one line per loss (empty when the outcome is succeeded or failedClearly). */
  losses: { kind: Loss; detail: string }[];
  /** Clear errors users saw, ids elided, for the run's list of the most frequent. */
  clearErrors: string[];
  /** Whether the schedule created an attachment, and the second attachments late creates made that the provider deleted. */
  attachment: boolean;
  copiesRemoved: number;
  ms: number;
}

const CANARY_KEY = "CHAOSKEYCANARY7Q";
const CANARY_SECRET = "chaos-secret-canary-9f8e7d6c5b4a";

function judgeErrors(seen: Observations, emulator: Emulator): { clear: string[]; unclear: string[] } {
  const answers = new Map(emulator.control.requests().map((r) => [r.requestId, r.status] as const));
  const clear: string[] = [];
  const unclear: string[] = [];
  for (const e of seen.errors) {
    const message = String((e.error as { message?: unknown } | null)?.message ?? e.error);
    const unmet = unmetClauses(e.error, { operation: OPERATION_OF[e.step], resourceId: e.resourceId, subject: e.subject, answers });
    if (unmet.length === 0) clear.push(`${e.label === "a" ? "attachment " : ""}${e.step}: ${elideIds(message).slice(0, 110)}`);
    else unclear.push(`${e.label} ${e.step} (no ${unmet.join(", no ")}): ${message.slice(0, 400)}`);
  }
  return { clear, unclear };
}

/** Ids, names and elapsed times elided, so one kind of error is counted as one. */
function elideIds(text: string): string {
  return text
    .replace(/(?<=after )\d+(?:h\d+m|m\d+s|ms|s)\b|\b\d+(?:h\d+m|m\d+s|ms|s)(?= after)/g, "…")
    .replace(/plattc?-[0-9a-z]+|vpce-[0-9a-f]+|\/subscriptions\/\S+?pe-[0-9a-f]+|\b1\d{7}\b|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|chaos-\d+-a\b/g, "…");
}

/** Every resource's lifecycle: the attachment's (if the plan has one) around those of the connections on it. */
async function lifecycles(run: ConnectionRun, attachments: PrivateLinkAttachmentProvider, plan: SchedulePlan, crashes: string[]): Promise<void> {
  const guarded = (label: string, life: Promise<void>) => life.catch((e: unknown) => void crashes.push(`${label}: ${(e as Error)?.stack ?? String(e)}`));
  const seeded = plan.resources.filter((r) => r.attachmentId !== undefined);
  const onNew = plan.resources.filter((r) => r.attachmentId === undefined);
  const lives = seeded.map((r) => guarded(`r${r.n}`, connectionLifecycle(run, r, r.attachmentId!)));
  if (plan.attachment) {
    const a = plan.attachment;
    lives.push(guarded("a", attachmentLifecycle({ ...run, provider: attachments }, a, async (id) => {
      if (id === undefined) {
        for (const r of onNew) run.seen.skipped.add(observedConnection(r).label);
        return;
      }
      await Promise.all(onNew.map((r) => guarded(`r${r.n}`, connectionLifecycle(run, r, id))));
    })));
  }
  await Promise.all(lives);
}

export async function runPlan(plan: SchedulePlan): Promise<ScheduleResult> {
  const started = Date.now();
  const emulator = await startEmulator({
    credentials: { apiKey: CANARY_KEY, apiSecret: CANARY_SECRET },
    quirks: plan.quirks,
    goneAs403: plan.goneAs403,
    timing: plan.timing,
    attachmentTiming: { ...plan.attachmentTiming, expiryMs: 7 * 24 * 3_600_000 },
    rateLimit: { requests: 100_000, windowMs: 60_000 },
  });
  const seen = new Observations();
  const outside = new Outside(emulator, plan, seen);
  try {
    for (const spec of plan.wireFaults) emulator.control.injectFault(spec);
    const options: ProviderOptions = {
      pollPolicy: { firstMs: 10, minMs: 10, ratio: 0.15, maxMs: 150 },
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      log: (level, line) => {
        seen.logs.push(`${level}: ${line}`);
        if (level === "info") outside.progress(line);
      },
    };
    const crashes: string[] = [];
    await withProvider(emulator, options, (provider) => withProviderOf(emulator, PrivateLinkAttachmentProvider, options, (attachments) =>
      lifecycles({ provider, emulator, outside, seen }, attachments, plan, crashes)));
    outside.stop();

    const { clear, unclear } = judgeErrors(seen, emulator);
    const basic = Buffer.from(`${CANARY_KEY}:${CANARY_SECRET}`).toString("base64");
    const haystack = [...seen.texts, ...seen.logs].join("\n");
    // A second attachment a late create request made, which the provider deleted and said so: not a loss (the API
    // lets two attachments have the same inputs, so nothing stops such a request; see core/create.ts copies).
    const removedCopies = new Set(seen.logs.map((line) => /^info: (platt-[0-9a-z]+): a second attachment .* deleted it and kept /.exec(line)?.[1]).filter((id) => id !== undefined));
    const created = emulator.control.attachments().filter((a) => !a.seeded && !(removedCopies.has(a.id) && a.phase === "DEPROVISIONING"));
    const labels = [...(plan.attachment ? [observedAttachment(plan.attachment).label] : []), ...plan.resources.map((r) => observedConnection(r).label)];
    const losses: { kind: Loss; detail: string }[] = [
      ...crashes.map((detail) => ({ kind: "crashed" as const, detail })),
      ...[CANARY_KEY, CANARY_SECRET, basic].filter((canary) => haystack.includes(canary)).map(() => ({ kind: "credentialLeak" as const, detail: "a canary credential in an error, output or log line" })),
      ...emulator.control.connections().filter((c) => !seen.reported.has(c.id)).map((c) => ({ kind: "lostResource" as const, detail: `${c.id} (${c.phase}) for ${c.endpointId} was never reported` })),
      ...created.filter((a) => !seen.reported.has(a.id)).map((a) => ({ kind: "lostResource" as const, detail: `attachment ${a.id} (${a.phase}) "${String(a.displayName)}" was never reported` })),
      ...[...seen.createdFor.entries()].filter(([, ids]) => ids.filter((id) => !removedCopies.has(id)).length > 1).map(([key, ids]) => ({ kind: "duplicate" as const, detail: `${key}: ${ids.join(", ")}` })),
      ...[...seen.idsOfResource.entries()].filter(([, ids]) => ids.size > 1).map(([label, ids]) => ({ kind: "duplicate" as const, detail: `${label}: ${[...ids].join(", ")}` })),
      ...seen.orphans.map((detail) => ({ kind: "orphan" as const, detail })),
      ...seen.unconfirmed.map((detail) => ({ kind: "unconfirmed" as const, detail })),
      ...unclear.map((detail) => ({ kind: "unclearError" as const, detail })),
    ];
    return {
      index: plan.index,
      survivable: isSurvivable(plan),
      outcome: judge(losses.map((l) => l.kind), seen.errors.length > 0),
      steps: labels.map((label) => seen.stepLine(label)),
      faults: describeFaults(plan),
      losses,
      clearErrors: clear,
      attachment: plan.attachment !== undefined,
      copiesRemoved: removedCopies.size,
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
