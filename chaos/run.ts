// `npm run chaos -- --schedules N --seed S [--workers W] [--no-write]`: N seeded fault schedules, spread over
// worker processes; writes docs/reliability.json and the figures of docs/reliability.md, and prints the summary
// as one JSON object on the last line.
import { fork } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { buildReport, writeReport } from "./report";
import { LOSSES, type ScheduleResult } from "./schedule";

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      schedules: { type: "string", default: "100" },
      seed: { type: "string", default: "1" },
      workers: { type: "string", default: String(Math.max(4, os.cpus().length * 4)) },
      "no-write": { type: "boolean", default: false },
    },
  });
  const schedules = Number(values.schedules);
  const seed = Number(values.seed);
  const workers = Math.min(Number(values.workers), schedules);
  if (!Number.isInteger(schedules) || schedules < 1 || !Number.isInteger(seed) || !(workers >= 1)) {
    console.error("usage: npm run chaos -- --schedules N --seed S [--workers W] [--no-write]");
    process.exit(2);
  }
  const started = Date.now();
  const results: ScheduleResult[] = [];
  console.log(`chaos: ${schedules} schedules, seed ${seed}, ${workers} workers`);
  await runWorkers(schedules, seed, workers, (r) => {
    results.push(r);
    if (r.outcome !== "succeeded" && r.outcome !== "failedClearly") {
      const losses = Object.fromEntries(LOSSES.filter((l) => r.losses[l].length > 0).map((l) => [l, r.losses[l]]));
      console.log(`schedule ${r.index} (faults: ${r.faults.join(", ") || "none"}): ${r.outcome} ${JSON.stringify(losses)}`);
    }
    if (results.length % 100 === 0) console.log(`  ${results.length}/${schedules} schedules, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  results.sort((a, b) => a.index - b.index);
  const seconds = (Date.now() - started) / 1000;
  const command = `npm run chaos -- --schedules ${schedules} --seed ${seed}`;
  const report = buildReport(results, seed, { command, seconds, workers, generatedAt: new Date().toISOString() });
  const s = report.summary;
  console.log(`${s.survivable} of ${s.schedules} schedules were survivable (no fault that stops a lifecycle by design); ${s.succeeded} succeeded (${s.succeededOfSurvivable} of the survivable), ${s.failedClearly} failed clearly`);
  console.log(`clear errors users could act on (${report.totalClearErrors}), most frequent:`);
  for (const e of report.topClearErrors) console.log(`  ${String(e.count).padStart(5)} × ${e.text}`);
  console.log(`took ${seconds.toFixed(1)} s`);
  if (!values["no-write"]) {
    const docs = path.join(__dirname, "..", "..", "docs");
    writeReport(report, path.join(docs, "reliability.json"), path.join(docs, "reliability.md"));
    console.log(`wrote docs/reliability.json and the figures of docs/reliability.md`);
  }
  console.log(JSON.stringify(s));
  const clean = LOSSES.every((l) => s.losses[l] === 0) && s.succeeded + s.failedClearly === schedules;
  process.exit(clean && s.schedules === schedules ? 0 : 1);
}

if (require.main === module) void main();
