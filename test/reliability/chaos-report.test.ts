// docs/reliability.md's figures are the ones `npm run chaos` wrote to docs/reliability.json, not typed by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FIGURES_HEADING, figuresMarkdown, withFigures, type ChaosReport } from "../../chaos/report";
import { LOSSES } from "../../chaos/schedule";

const docs = path.join(__dirname, "..", "..", "..", "docs");

test("docs/reliability.md ends with the figures generated from docs/reliability.json", () => {
  const report = JSON.parse(fs.readFileSync(path.join(docs, "reliability.json"), "utf8")) as ChaosReport;
  const doc = fs.readFileSync(path.join(docs, "reliability.md"), "utf8");
  assert.equal(doc.slice(doc.indexOf(FIGURES_HEADING)), figuresMarkdown(report));
});

test("the recorded run accounts for every schedule and lost nothing", () => {
  const { summary } = JSON.parse(fs.readFileSync(path.join(docs, "reliability.json"), "utf8")) as ChaosReport;
  assert.equal(summary.succeeded + summary.failedClearly + LOSSES.reduce((n, l) => n + summary.losses[l], 0), summary.schedules);
  assert.deepEqual(summary.losses, Object.fromEntries(LOSSES.map((l) => [l, 0])));
});

test("withFigures replaces the figures section and keeps what comes before it", () => {
  const report: ChaosReport = {
    generatedAt: "2026-01-01T00:00:00.000Z", command: "npm run chaos -- --schedules 2 --seed 9", seconds: 3, workers: 2,
    summary: { schedules: 2, seed: 9, survivable: 2, succeeded: 1, succeededOfSurvivable: 1, failedClearly: 1, losses: Object.fromEntries(LOSSES.map((l) => [l, 0])) as ChaosReport["summary"]["losses"] },
    topClearErrors: [{ count: 1, text: "create: … FAILED | x" }], totalClearErrors: 1, stoppedAt: { create: 1 },
  };
  const doc = withFigures(`# Title\n\nprose\n\n${FIGURES_HEADING}\n\nold figures 999\n`, report);
  assert.ok(doc.startsWith("# Title\n\nprose\n\n## Latest figures"));
  assert.ok(!doc.includes("999"));
  assert.match(doc, /\| 2 \| 2 \| 1 \| 1 \| 1 \| 0 \|/);
  assert.match(doc, /FAILED \\\| x/);
  assert.throws(() => withFigures("# no figures here\n", report), /no "## Latest figures" section/);
});
