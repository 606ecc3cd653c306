// `npm run bench`: every benchmark in one run; writes bench/results.json and docs/benchmarks.md (+ .svg).
import { mkdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { providerBytesInstalled } from "./footprint";
import { ATTACHMENT, CONNECTION, type ReadyKind } from "./kinds";
import { measureKind, type KindPolling } from "./polling";
import { measureCli } from "./preview";
import { chartSvg, markdown, type Results } from "./report";
import { measureScale } from "./scale";
import { REPO_ROOT } from "../scripts/pulumi-cli";

const POLLING_SECONDS = [5, 30, 120, 600];
const MEAN_DRAWS = 20;
const MEAN_SEED = 20261128;

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** One kind's READY detection, its fixed rows logged. */
async function measureLogged(kind: ReadyKind, scale: number): Promise<KindPolling> {
  log(`polling, ${kind.name}: T = ${POLLING_SECONDS.join(", ")} s and ${MEAN_DRAWS} draws in [10, 600] s, clock ×${scale}`);
  const figures = await measureKind(kind, { fixedSeconds: POLLING_SECONDS, draws: { count: MEAN_DRAWS, min: 10, max: 600, seed: MEAN_SEED } }, scale);
  for (const r of figures.fixed) log(`  T=${r.provisioningSeconds}s ours ${r.ours.overshootSeconds.toFixed(2)}s/${r.ours.gets} GETs, terraform ${r.terraform.overshootSeconds.toFixed(2)}s/${r.terraform.gets} GETs`);
  return figures;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      resources: { type: "string", default: "200" },
      "limit-per-minute": { type: "string", default: "600" },
      "polling-scale": { type: "string", default: "10" },
      "cli-resources": { type: "string", default: "50" },
      "cli-runs": { type: "string", default: "5" },
      out: { type: "string", default: path.join(REPO_ROOT, "bench/results.json") },
      docs: { type: "string", default: path.join(REPO_ROOT, "docs/benchmarks.md") },
    },
  });
  const scale = Number(values["polling-scale"]);

  const polling = { connection: await measureLogged(CONNECTION, scale), attachment: await measureLogged(ATTACHMENT, scale) };

  const resources = Number(values.resources);
  const limit = Number(values["limit-per-minute"]);
  log(`scale: ${resources} concurrent creates, limit ${limit}/min`);
  const scaleFigures = await measureScale(resources, limit, 1000);
  log(`  ${JSON.stringify(scaleFigures)}`);

  log("state footprint: installed from npm pack");
  const installed = await providerBytesInstalled();
  log(`  ${installed.bytes} B in the state of each of ${installed.resources} resources (a require() of the installed package: ${installed.requiresPackage})`);

  const cliResources = Number(values["cli-resources"]);
  log(`the CLI: pulumi preview of ${cliResources} connections against ${cliResources} do-nothing resources, then up and refresh`);
  const cli = await measureCli(cliResources, Number(values["cli-runs"]), log);
  log(`  ${JSON.stringify(cli)}`);

  const results: Results = {
    generatedAt: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.versions.node}`,
    polling,
    pollingScale: scale,
    scale: scaleFigures,
    stateBytesPerResource: { installed: installed.bytes },
    cli,
  };
  mkdirSync(path.dirname(values.out), { recursive: true });
  mkdirSync(path.dirname(values.docs), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(values.docs, markdown(results));
  writeFileSync(values.docs.replace(/\.md$/, ".svg"), chartSvg(results));
  log(`wrote ${path.relative(REPO_ROOT, values.out)} and ${path.relative(REPO_ROOT, values.docs)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
