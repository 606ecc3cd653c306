// `npm run model -- --runs N --seed S [--max-commands M] [--minutes T]`: N seeded sequences of user actions through the
// `pulumi` CLI against the emulator, each compared step by step with the reference model (model/reference.ts); a
// failing one is shrunk. Writes docs/model.json and the figures section of docs/model.md. Exits 1 on a mismatch.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../scripts/repo-root";
import { checkModel } from "./check";
import { withFigures, type ModelReport } from "./report";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "20" },
      seed: { type: "string", default: "1" },
      "max-commands": { type: "string", default: "14" },
      minutes: { type: "string", default: "60" },
      out: { type: "string", default: path.join(REPO_ROOT, "docs/model.json") },
      docs: { type: "string", default: path.join(REPO_ROOT, "docs/model.md") },
    },
  });
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  const maxCommands = Number(values["max-commands"]);
  const minutes = Number(values.minutes);
  if (![runs, seed, maxCommands].every(Number.isInteger) || runs < 1 || maxCommands < 1 || !(minutes > 0)) {
    console.error("usage: npm run model -- --runs N --seed S [--max-commands M] [--minutes T] [--out FILE] [--docs FILE]");
    process.exit(2);
  }
  const started = Date.now();
  const actions: Record<string, number> = {};
  let index = 0;
  const result = await checkModel({
    runs, seed, maxCommands, timeLimitMs: minutes * 60_000,
    onSequence: (sequence, passed) => {
      const steps = sequence.replace(/\s*\/\*.*\*\/\s*$/, "").split(/,(?![^(]*\))/).filter(Boolean);
      for (const step of steps) {
        const kind = step.replace(/\(.*$/, "");
        actions[kind] = (actions[kind] ?? 0) + 1;
      }
      console.log(`${String(++index).padStart(4)} ${passed ? "ok  " : "FAIL"} ${steps.join(", ")}`);
    },
  });
  const report: ModelReport = {
    generatedAt: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.versions.node}`,
    command: `npm run model -- --runs ${runs} --seed ${seed} --max-commands ${maxCommands}`,
    wallSeconds: (Date.now() - started) / 1000,
    result,
    actions,
  };
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(values.docs, withFigures(readFileSync(values.docs, "utf8"), report));
  if (!result.passed) console.log(`MISMATCH, shrunk to: ${result.counterexample}\n${result.error}`);
  console.log(`took ${report.wallSeconds.toFixed(0)} s; wrote ${path.relative(REPO_ROOT, values.out)} and the figures of ${path.relative(REPO_ROOT, values.docs)}`);
  console.log(JSON.stringify({ passed: result.passed, sequences: result.sequences, actions: result.actions, commands: result.commands }));
  process.exit(result.passed ? 0 : 1);
}

if (require.main === module) void main();
