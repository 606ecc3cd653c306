// `npm run demo`: the quickstart deployed on the bundled emulator with the real Pulumi engine, end to end.
import { rmSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { createWorkspace, REPO_ROOT } from "./pulumi-cli";

const STACK = "demo";

function step(text: string): void {
  console.log(`\n\x1b[1m==> ${text}\x1b[0m`);
}

async function main(): Promise<void> {
  const keep = process.argv.includes("--keep");
  step("Starting the Confluent Cloud emulator");
  const emulator = await startEmulator({ timing: { provisioningMs: 4000, deprovisioningMs: 2000 } });
  console.log(`emulator at ${emulator.url} (environment ${emulator.environments[0]}, attachments ${emulator.privateLinkAttachments.map((a) => a.id).join(", ")})`);

  step("Finding or building the Pulumi CLI (scripts/install-pulumi-cli.sh; the first build takes a few minutes)");
  const ws = createWorkspace({
    CONFLUENT_CLOUD_ENDPOINT: emulator.url,
    CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey,
    CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret,
  });
  const stackConfig = path.join(REPO_ROOT, `Pulumi.${STACK}.yaml`);
  const cleanup = async () => {
    if (!keep) {
      ws.dispose();
      rmSync(stackConfig, { force: true });
    }
    await emulator.close();
  };
  try {
    console.log(`local backend: ${ws.env.PULUMI_BACKEND_URL}`);
    await ws.run(["stack", "init", STACK], { echo: true });

    step("pulumi up: three connections (AWS, Azure, GCP); each create waits until Confluent reports READY");
    const started = Date.now();
    await ws.run(["up", "--yes", "--stack", STACK], { echo: true });
    console.log(`pulumi up took ${((Date.now() - started) / 1000).toFixed(1)} s (the emulator provisions in ${emulator.timing.provisioningMs / 1000} s)`);

    step("The connections and their status");
    const out = JSON.parse((await ws.run(["stack", "output", "connections", "--json", "--stack", STACK])).stdout) as Record<string, { id: string; displayName: string; phase: string; cloudStatus?: Record<string, string> }>;
    for (const [cloud, c] of Object.entries(out)) {
      console.log(`${cloud.padEnd(6)} ${c.id.padEnd(16)} ${c.phase.padEnd(8)} ${c.displayName}`);
      for (const [k, v] of Object.entries(c.cloudStatus ?? {})) console.log(`${"".padEnd(7)}${k}: ${v}`);
    }

    step(`Drift: renaming ${out.aws!.id} outside Pulumi (as in the Confluent Cloud console), then pulumi preview --refresh`);
    emulator.control.rename(out.aws!.id, "renamed-in-the-console");
    await ws.run(["preview", "--refresh", "--diff", "--stack", STACK], { echo: true });
    console.log("The preview shows the rename as an in-place update back to the program's displayName.");

    if (keep) {
      console.log(`\nKept: stack '${STACK}' in ${ws.dir} and Pulumi.${STACK}.yaml. The emulator stops with this process; to remove the state: rm -rf ${ws.dir} ${stackConfig}`);
    } else {
      step("pulumi destroy: each delete waits until the connection is gone");
      await ws.run(["destroy", "--yes", "--stack", STACK], { echo: true });
      await ws.run(["stack", "rm", "--yes", STACK], { echo: true });
      console.log(`\nDone. Connections left on the emulator: ${emulator.control.connections().length}. Scratch state removed.`);
    }
  } finally {
    await cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(`\ndemo failed: ${(e as Error).message}`);
  process.exit(1);
});
