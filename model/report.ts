// docs/model.json → the figures section of docs/model.md, so the doc's figures are those of the last `npm run model`.
import { withSection } from "../scripts/doc-section";
import type { ModelResult } from "./check";

export interface ModelReport {
  generatedAt: string;
  machine: string;
  command: string;
  wallSeconds: number;
  result: ModelResult;
  /** How often each kind of action was drawn, over every sequence run (shrinking included). */
  actions: Record<string, number>;
}

const BEGIN = "<!-- model figures: written by `npm run model` from docs/model.json; edits here are overwritten -->";
const END = "<!-- end of model figures -->";

function figuresSection(report: ModelReport): string {
  const r = report.result;
  const rows = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `| ${k} | ${n} |`).join("\n");
  const verdict = r.passed
    ? `**Every sequence matched the model.**`
    : `**A sequence did not match the model.** Shrunk to: \`${r.counterexample ?? "?"}\`\n\n\`\`\`\n${r.error ?? ""}\n\`\`\``;
  return `${BEGIN}
\`${report.command}\` on ${report.machine}, ${report.generatedAt} (${report.wallSeconds.toFixed(0)} s).

| sequences | actions | CLI commands |
|---:|---:|---:|
| ${r.sequences} | ${r.actions} | ${Object.values(r.commands).reduce((a, b) => a + b, 0)} |

${verdict}

| CLI command | runs |
|---|---:|
${rows(r.commands)}

| action drawn | times |
|---|---:|
${rows(report.actions)}
${END}`;
}

export function withFigures(doc: string, report: ModelReport): string {
  return withSection(doc, BEGIN, END, figuresSection(report));
}
