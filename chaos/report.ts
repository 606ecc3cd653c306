// docs/reliability.json → the figures section of docs/reliability.md (between the two markers), so the doc's
// figures are always those of the last `npm run chaos`.
import { currentSection, withSection } from "../scripts/doc-section";
import { LOSS_KINDS, SUCCEEDED_FLOOR, totalLosses, type ChaosSummary } from "./outcome";

export interface ChaosResults {
  generatedAt: string;
  machine: string;
  command: string;
  workers: number;
  wallSeconds: number;
  summary: ChaosSummary;
  /** Schedules that created an attachment (some of their connections on it). */
  attachmentSchedules: number;
  /** Second attachments that late-applied creates made and the provider deleted (core/create.ts removeLateCopies). */
  copiesRemoved: number;
  /** The most frequent clear errors, ids elided. */
  frequentClearErrors: { count: number; text: string }[];
  /** One line per schedule (chaos/outcome.ts outcomeLine): what a rerun of the same seed must reproduce. */
  outcomes: string[];
}

export const BEGIN = "<!-- chaos figures: written by `npm run chaos` from docs/reliability.json; edits here are overwritten -->";
export const END = "<!-- end of chaos figures -->";

const pct = (n: number, of: number) => (of === 0 ? "0" : ((100 * n) / of).toFixed(1));

export function figuresSection(results: ChaosResults): string {
  const s = results.summary;
  const losses = LOSS_KINDS.map((kind) => `| ${kind} | ${s.losses[kind]} |`).join("\n");
  const errors = results.frequentClearErrors.map((e) => `| ${e.count} | ${e.text.replace(/\|/g, "\\|")} |`).join("\n");
  return `${BEGIN}
\`${results.command}\` on ${results.machine}, ${results.generatedAt} (${results.workers} worker processes, ${results.wallSeconds.toFixed(0)} s).

| schedules | survivable | succeeded | failed clearly | losses |
|---:|---:|---:|---:|---:|
| ${s.schedules} | ${s.survivable} (${pct(s.survivable, s.schedules)} %) | ${s.succeeded} (${pct(s.succeeded, s.schedules)} %) | ${s.failedClearly} | ${totalLosses(s)} |

${results.attachmentSchedules} schedules created an attachment and made some of their connections on it; in them, late-applied
creates made ${results.copiesRemoved} second attachments, each deleted by the provider.

Survivable schedules that did not succeed: **${s.survivableNotSucceeded}**; unsurvivable schedules that succeeded (a
fault that did not take effect): **${s.unsurvivableSucceeded}**. The run fails on any loss, on either of these, or when
fewer than ${SUCCEEDED_FLOOR * 100} % of the schedules succeed.

| loss | schedules |
|---|---:|
${losses}

The most frequent clear errors (ids elided):

| count | step: message |
|---:|---|
${errors}
${END}`;
}

/** The doc with its figures section replaced (appended when it has none yet). */
export function withFigures(doc: string, results: ChaosResults): string {
  return withSection(doc, BEGIN, END, figuresSection(results));
}

/** The figures section the doc holds now, or undefined. */
export function currentFigures(doc: string): string | undefined {
  return currentSection(doc, BEGIN, END);
}
