// docs/reliability.md's figures are the ones `npm run chaos` wrote to docs/reliability.json, not typed by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { LOSS_KINDS, summarize, verdict } from "../../chaos/outcome";
import { BEGIN, currentFigures, END, figuresSection, withFigures, type ChaosResults } from "../../chaos/report";
import { REPO_ROOT } from "../../scripts/repo-root";

test("docs/reliability.md shows the figures of docs/reliability.json, as `npm run chaos` wrote them", () => {
  const results = JSON.parse(readFileSync(path.join(REPO_ROOT, "docs/reliability.json"), "utf8")) as ChaosResults;
  const doc = readFileSync(path.join(REPO_ROOT, "docs/reliability.md"), "utf8");
  assert.equal(currentFigures(doc), figuresSection(results), "the figures section was edited by hand, or the run did not write it");
  assert.equal(results.outcomes.length, results.summary.schedules, "one outcome line per schedule");
  const s = results.summary;
  assert.equal(s.succeeded + s.failedClearly + LOSS_KINDS.reduce((n, kind) => n + s.losses[kind], 0), s.schedules);
  assert.deepEqual(verdict(s), [], "the recorded run passed");
});

test("withFigures replaces only the section between the markers, and appends one to a doc without", () => {
  const results: ChaosResults = {
    generatedAt: "2026-01-01T00:00:00.000Z", machine: "2 × cpu, Node 24", command: "npm run chaos -- --schedules 2 --seed 9", workers: 2, wallSeconds: 3,
    summary: summarize([
      { index: 0, survivable: true, outcome: "succeeded", steps: ["r0 ok"] },
      { index: 1, survivable: false, outcome: "failedClearly", steps: ["r0 create"] },
    ], 9),
    attachmentSchedules: 1,
    copiesRemoved: 0,
    frequentClearErrors: [{ count: 1, text: "create: … FAILED | x" }],
    outcomes: ["0 succeeded r0 ok", "1 failedClearly r0 create"],
  };
  const doc = `# Title\n\nprose\n\n${BEGIN}\nold figures 999\n${END}\n\nafter\n`;
  const written = withFigures(doc, results);
  assert.ok(written.startsWith("# Title\n\nprose\n\n"));
  assert.ok(written.endsWith(`${END}\n\nafter\n`));
  assert.ok(!written.includes("999"));
  assert.match(written, /\| 2 \| 1 \(50\.0 %\) \| 1 \(50\.0 %\) \| 1 \| 0 \|/);
  assert.match(written, /FAILED \\\| x/);
  assert.match(written, /1 schedules created an attachment .* made 0 second attachments/s);
  assert.equal(withFigures(written, results), written, "rewriting changes nothing");
  assert.equal(currentFigures(withFigures("# no figures yet\n", results)), figuresSection(results));
});
