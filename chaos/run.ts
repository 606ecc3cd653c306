// `npm run chaos -- --schedules N --seed S [--workers W]`: N seeded fault schedules, spread over worker
// processes; the last line of output is the summary as one JSON object.
import { fork } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { ScheduleResult } from "./schedule";

export interface ChaosSummary {
  schedules: number;
  seed: number;
  lost: number;
  duplicates: number;
  orphans: number;
  unexpectedErrors: number;
  credentialLeaks: number;
}

export function summarize(results: ScheduleResult[], seed: number): ChaosSummary {
  const count = (pick: (r: ScheduleResult) => unknown[]) => results.reduce((n, r) => n + pick(r).length, 0);
  return {
    schedules: results.length,
    seed,
    lost: count((r) => r.lost),
    duplicates: count((r) => r.duplicates),
    orphans: count((r) => r.orphans),
    unexpectedErrors: count((r) => r.unexpectedErrors),
    credentialLeaks: count((r) => r.credentialLeaks),
  };
}

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
    },
  });
  const schedules = Number(values.schedules);
  const seed = Number(values.seed);
  const workers = Math.min(Number(values.workers), schedules);
  if (!Number.isInteger(schedules) || schedules < 1 || !Number.isInteger(seed) || !(workers >= 1)) {
    console.error("usage: npm run chaos -- --schedules N --seed S [--workers W]");
    process.exit(2);
  }
  const started = Date.now();
  const results: ScheduleResult[] = [];
  console.log(`chaos: ${schedules} schedules, seed ${seed}, ${workers} workers`);
  await runWorkers(schedules, seed, workers, (r) => {
    results.push(r);
    const bad = r.lost.length + r.duplicates.length + r.orphans.length + r.unexpectedErrors.length + r.credentialLeaks.length;
    if (bad > 0) console.log(`schedule ${r.index} (faults: ${r.faults.join(", ") || "none"}): ${JSON.stringify({ lost: r.lost, duplicates: r.duplicates, orphans: r.orphans, unexpectedErrors: r.unexpectedErrors, credentialLeaks: r.credentialLeaks })}`);
    if (results.length % 100 === 0) console.log(`  ${results.length}/${schedules} schedules, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  results.sort((a, b) => a.index - b.index);
  const expected = new Map<string, number>();
  for (const r of results) for (const e of r.expectedErrors) expected.set(e, (expected.get(e) ?? 0) + 1);
  console.log(`clear errors users could act on (${[...expected.values()].reduce((a, b) => a + b, 0)}), most frequent:`);
  for (const [text, n] of [...expected.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${String(n).padStart(5)} × ${text}`);
  console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const summary = summarize(results, seed);
  console.log(JSON.stringify(summary));
  const clean = summary.lost + summary.duplicates + summary.orphans + summary.unexpectedErrors + summary.credentialLeaks === 0;
  process.exit(clean && summary.schedules === schedules ? 0 : 1);
}

if (require.main === module) void main();
