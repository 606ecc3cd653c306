// The user's path, timed: `pulumi preview` of N new connections in a project that installed this package from
// its `npm pack` tarball, against N resources of a dynamic provider that does nothing (bench/fixtures/noop-provider,
// installed the same way): the floor the engine, the language host and the dynamic-provider plugin cost. Runs
// alternate between the two projects so that drift of the machine falls on both. Then `pulumi up` and
// `pulumi refresh` of the same N connections.
import { cpSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { PulumiProject, REPO_ROOT } from "../scripts/pulumi-cli";

const FIXTURES = path.join(REPO_ROOT, "bench/fixtures");

export interface CliFigures {
  resources: number;
  runs: number;
  /**
   * Median wall time of `pulumi preview`: connections; do-nothing resources with one input; do-nothing resources
   * with a connection's inputs and output properties. Ratios of the connections' time to each floor.
   */
  previewMs: { connections: number; noop: number; noopShaped: number; ratio: number; ratioShaped: number };
  /** API requests during the connections' previews: none expected (check and diff are local). */
  previewRequests: number;
  upMs: number;
  refreshMs: number;
  /** API requests of the up and of the refresh. */
  upRequests: number;
  refreshRequests: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed(project: PulumiProject, args: string[]): Promise<number> {
  const started = performance.now();
  await project.run(args);
  return performance.now() - started;
}

async function project(fixture: string, resources: number, emulator: Emulator, shape?: string): Promise<PulumiProject> {
  const p = PulumiProject.create(`bench-${fixture}`, {
    from: path.join(FIXTURES, fixture),
    env: { CONFLUENT_CLOUD_ENDPOINT: emulator.url, CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret },
  });
  if (fixture === "noop") cpSync(path.join(FIXTURES, "noop-provider"), path.join(p.dir, "node_modules/plattc-noop-provider"), { recursive: true });
  await p.initStack("bench");
  await p.setConfig("count", String(resources));
  if (shape) await p.setConfig("shape", shape);
  return p;
}

export async function measureCli(resources: number, runs: number, log: (line: string) => void): Promise<CliFigures> {
  const emulator = await startEmulator({ timing: { provisioningMs: 1000, deprovisioningMs: 200 } });
  const connections = await project("connections", resources, emulator);
  const noop = await project("noop", resources, emulator);
  const shaped = await project("noop", resources, emulator, "connection");
  try {
    // One untimed preview each: the first run compiles the TypeScript program and warms the file cache.
    await connections.run(["preview"]);
    await noop.run(["preview"]);
    await shaped.run(["preview"]);
    const times = { connections: [] as number[], noop: [] as number[], shaped: [] as number[] };
    emulator.control.clearRequests();
    for (let i = 0; i < runs; i++) {
      times.connections.push(await timed(connections, ["preview"]));
      times.noop.push(await timed(noop, ["preview"]));
      times.shaped.push(await timed(shaped, ["preview"]));
      log(`  preview run ${i + 1}: connections ${Math.round(times.connections[i]!)} ms, do-nothing ${Math.round(times.noop[i]!)} ms, do-nothing shaped like a connection ${Math.round(times.shaped[i]!)} ms`);
    }
    const previewRequests = emulator.control.requests().length;
    const upMs = await timed(connections, ["up", "--yes"]);
    const upRequests = emulator.control.requests().length - previewRequests;
    const ready = emulator.control.connections().filter((c) => c.phase === "READY").length;
    if (ready !== resources) throw new Error(`after up, ${ready} of ${resources} connections are READY`);
    const refreshMs = await timed(connections, ["refresh", "--yes"]);
    const refreshRequests = emulator.control.requests().length - previewRequests - upRequests;
    const ratio = (floor: number[]) => Math.round((median(times.connections) / median(floor)) * 100) / 100;
    const previewMs = {
      connections: Math.round(median(times.connections)), noop: Math.round(median(times.noop)), noopShaped: Math.round(median(times.shaped)),
      ratio: ratio(times.noop), ratioShaped: ratio(times.shaped),
    };
    return { resources, runs, previewMs, previewRequests, upMs: Math.round(upMs), refreshMs: Math.round(refreshMs), upRequests, refreshRequests };
  } finally {
    await connections.run(["destroy", "--yes"], { allowFailure: true });
    connections.dispose();
    noop.dispose();
    shaped.dispose();
    await emulator.close();
  }
}
