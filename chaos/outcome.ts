// A schedule's outcome and a run's summary. Every schedule has exactly one outcome: it succeeded, it failed
// clearly, or it is a loss of one kind, so succeeded + failedClearly + the losses = schedules.

/** Worst first: a schedule with several losses counts as the first of its kinds in this order. */
export const LOSS_KINDS = [
  /** The schedule itself threw (a bug of the provider outside any answer, or of the chaos harness). */
  "crashed",
  /** A canary credential in an error, an output or a log line. */
  "credentialLeak",
  /** A connection or attachment on the server the provider never reported (neither created nor carried by an init error). */
  "lostResource",
  /** Two connections for one endpoint, or two ids for one resource. */
  "duplicate",
  /** A delete that returned while the connection was still on the server. */
  "orphan",
  /** Any other success the emulator's own view contradicts (phase, name, endpoint, existence). */
  "unconfirmed",
  /** An error that does not meet the contract of chaos/contract.ts. */
  "unclearError",
] as const;

export type Loss = (typeof LOSS_KINDS)[number];
export type Outcome = "succeeded" | "failedClearly" | Loss;

/**
 * Part of the schedules that must succeed for a run to pass. About three in four schedules are survivable by
 * construction (chaos/plan.ts), and each of those must succeed: the floor leaves room only for the draw.
 */
export const SUCCEEDED_FLOOR = 0.6;

export function judge(losses: readonly Loss[], anyError: boolean): Outcome {
  const worst = LOSS_KINDS.find((kind) => losses.includes(kind));
  return worst ?? (anyError ? "failedClearly" : "succeeded");
}

export interface OutcomeOf {
  index: number;
  survivable: boolean;
  outcome: Outcome;
  steps: string[];
}

export interface ChaosSummary {
  schedules: number;
  seed: number;
  /** Schedules whose faults a correct provider absorbs entirely (no unsurvivable lifecycle fault drawn). */
  survivable: number;
  succeeded: number;
  failedClearly: number;
  losses: Record<Loss, number>;
  /** Survivable schedules that did not succeed: each one is a weakness, even when it failed clearly. */
  survivableNotSucceeded: number;
  /** Unsurvivable schedules that succeeded: a fault that did not take effect. */
  unsurvivableSucceeded: number;
}

export function summarize(results: readonly OutcomeOf[], seed: number): ChaosSummary {
  const count = (pick: (r: OutcomeOf) => boolean) => results.filter(pick).length;
  const losses = Object.fromEntries(LOSS_KINDS.map((kind) => [kind, count((r) => r.outcome === kind)])) as Record<Loss, number>;
  return {
    schedules: results.length,
    seed,
    survivable: count((r) => r.survivable),
    succeeded: count((r) => r.outcome === "succeeded"),
    failedClearly: count((r) => r.outcome === "failedClearly"),
    losses,
    survivableNotSucceeded: count((r) => r.survivable && r.outcome !== "succeeded"),
    unsurvivableSucceeded: count((r) => !r.survivable && r.outcome === "succeeded"),
  };
}

export function totalLosses(summary: ChaosSummary): number {
  return Object.values(summary.losses).reduce((a, b) => a + b, 0);
}

/** Why a run fails (empty: it passes). */
export function verdict(summary: ChaosSummary): string[] {
  const problems: string[] = [];
  const lost = totalLosses(summary);
  if (lost > 0) problems.push(`${lost} schedules lost something: ${JSON.stringify(summary.losses)}`);
  if (summary.succeeded < SUCCEEDED_FLOOR * summary.schedules) {
    problems.push(`${summary.succeeded} of ${summary.schedules} schedules succeeded, under the floor of ${SUCCEEDED_FLOOR * 100} %`);
  }
  if (summary.survivableNotSucceeded > 0) problems.push(`${summary.survivableNotSucceeded} survivable schedules did not succeed`);
  if (summary.unsurvivableSucceeded > 0) problems.push(`${summary.unsurvivableSucceeded} unsurvivable schedules succeeded: a fault did not take effect`);
  return problems;
}

/** One line per schedule: what two runs of the same seed must agree on. */
export function outcomeLine(r: OutcomeOf): string {
  return `${r.index} ${r.outcome} ${r.steps.join(", ")}`;
}
