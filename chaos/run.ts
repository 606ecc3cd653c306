// `npm run chaos -- --schedules N --seed S [--workers W]`: N seeded fault schedules, spread over worker
// processes. Writes docs/reliability.json and the figures section of docs/reliability.md; the last line of output is
// the summary as one JSON object. Exits 1 when the run fails (chaos/outcome.ts, verdict).
import { fork } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../scripts/repo-root";
import { outcomeLine, summarize, verdict } from "./outcome";
import { withFigures, type ChaosResults } from "./report";
import type { ScheduleResult } from "./schedule";

function runWorkers(schedules: number, seed: number, workers: number, onResult: (r: ScheduleResult) => void): Promise<void> {
  const workerFile = path.join(__dirname, "worker.js");
  const jobs = Array.from({ length: workers }, (_, w) => Array.from({ length: schedules }, (_, i) => i).filter((i) => i % workers === w)).filter((j) => j.length > 0);
  return Promise.all(jobs.map((indexes) => new Promise<void>((resolve, reject) => {
    const child = fork(workerFile, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.on("message", (r: ScheduleResult) => onResult(r));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 || code === null ? resolve() : reject(new Error(`a chaos worker exited with ${code}`))));
    child.send({ seed, indexes });
  }))).then(() => undefined);
}

function frequent(results: ScheduleResult[], top: number): { count: number; text: string }[] {
  const counts = new Map<string, number>();
  for (const r of results) for (const e of r.clearErrors) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([text, count]) => ({ count, text }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      schedules: { type: "string", default: "100" },
      seed: { type: "string", default: "1" },
      workers: { type: "string", default: String(Math.max(4, os.cpus().length * 4)) },
      out: { type: "string", default: path.join(REPO_ROOT, "docs/reliability.json") },
      docs: { type: "string", default: path.join(REPO_ROOT, "docs/reliability.md") },
    },
  });
  const schedules = Number(values.schedules);
  const seed = Number(values.seed);
  const workers = Math.min(Number(values.workers), schedules);
  if (!Number.isInteger(schedules) || schedules < 1 || !Number.isInteger(seed) || !(workers >= 1)) {
    console.error("usage: npm run chaos -- --schedules N --seed S [--workers W] [--out FILE] [--docs FILE]");
    process.exit(2);
  }
  const started = Date.now();
  const results: ScheduleResult[] = [];
  console.log(`chaos: ${schedules} schedules, seed ${seed}, ${workers} workers`);
  await runWorkers(schedules, seed, workers, (r) => {
    results.push(r);
    const notable = r.losses.length > 0 || (r.survivable && r.outcome !== "succeeded") || (!r.survivable && r.outcome === "succeeded");
    if (notable) {
      console.log(`schedule ${r.index} (${r.survivable ? "survivable" : "unsurvivable"}; faults: ${r.faults.join(", ") || "none"}): ${r.outcome}; ${r.steps.join(", ")}`);
      for (const loss of r.losses) console.log(`  ${loss.kind}: ${loss.detail}`);
    }
    if (results.length % 100 === 0) console.log(`  ${results.length}/${schedules} schedules, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  results.sort((a, b) => a.index - b.index);
  const summary = summarize(results, seed);
  const wallSeconds = (Date.now() - started) / 1000;
  const report: ChaosResults = {
    generatedAt: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.versions.node}`,
    command: `npm run chaos -- --schedules ${schedules} --seed ${seed}`,
    workers,
    wallSeconds,
    summary,
    attachmentSchedules: results.filter((r) => r.attachment).length,
    copiesRemoved: results.reduce((n, r) => n + r.copiesRemoved, 0),
    frequentClearErrors: frequent(results, 12),
    outcomes: results.map(outcomeLine),
  };
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  const doc = readFileSync(values.docs, "utf8");
  writeFileSync(values.docs, withFigures(doc, report));
  console.log(`clear errors, most frequent:`);
  for (const e of report.frequentClearErrors) console.log(`  ${String(e.count).padStart(5)} × ${e.text}`);
  console.log(`took ${wallSeconds.toFixed(1)} s; wrote ${path.relative(REPO_ROOT, values.out)} and the figures of ${path.relative(REPO_ROOT, values.docs)}`);
  const problems = verdict(summary);
  for (const p of problems) console.log(`FAILED: ${p}`);
  console.log(JSON.stringify(summary));
  process.exit(problems.length === 0 && summary.schedules === schedules ? 0 : 1);
}

if (require.main === module) void main();
