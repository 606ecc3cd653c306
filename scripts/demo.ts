// `npm run demo`: the quickstart deployed on the bundled emulator with the real Pulumi engine, end to end.
import { startEmulator } from "../emulator";
import { quickstart } from "../examples/quickstart/program";
import { createInlineStack } from "./pulumi-cli";

function step(text: string): void {
  console.log(`\n\x1b[1m==> ${text}\x1b[0m`);
}

const echo = (text: string) => process.stdout.write(text);

async function main(): Promise<void> {
  const keep = process.argv.includes("--keep");
  step("Starting the Confluent Cloud emulator");
  const emulator = await startEmulator({ timing: { provisioningMs: 4000, deprovisioningMs: 2000 } });
  console.log(`emulator at ${emulator.url}: environment ${emulator.environments[0]}, attachments ${emulator.privateLinkAttachments.map((a) => `${a.id} (${a.cloud})`).join(", ")}`);

  step("Finding or building the Pulumi CLI (scripts/install-pulumi-cli.sh: a few minutes the first time, cached after)");
  const inline = await createInlineStack({
    projectName: "confluent-plattc-quickstart",
    stackName: "demo",
    program: async () => quickstart(),
    env: {
      CONFLUENT_CLOUD_ENDPOINT: emulator.url,
      CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret,
    },
  });
  const { stack } = inline;
  try {
    console.log(`stack 'demo' on a local backend in ${inline.dir}`);

    step("pulumi preview: what would be created (preview sends nothing to the API)");
    await stack.preview({ onOutput: echo });
    console.log(`requests the API received during the preview: ${emulator.control.requests().length}`);

    step("pulumi up: three connections (AWS, Azure, GCP); each create waits until Confluent reports READY");
    const started = Date.now();
    await stack.up({ onOutput: echo });
    console.log(`pulumi up took ${((Date.now() - started) / 1000).toFixed(1)} s (the emulator provisions in ${emulator.timing.provisioningMs / 1000} s)`);

    step("The connections and their status");
    const out = (await stack.outputs()).connections!.value as Record<string, { id: string; displayName: string; phase: string; cloudStatus?: Record<string, string> }>;
    for (const [cloud, c] of Object.entries(out)) {
      console.log(`${cloud.padEnd(6)} ${c.id.padEnd(15)} ${c.phase.padEnd(7)} ${c.displayName}`);
      for (const [k, v] of Object.entries(c.cloudStatus ?? {})) console.log(`${"".padEnd(7)}${k}: ${v}`);
    }

    step(`Drift: ${out.aws!.id} renamed outside Pulumi (as in the Confluent Cloud console), then pulumi preview --refresh`);
    emulator.control.rename(out.aws!.id, "renamed-in-the-console");
    await stack.preview({ refresh: true, diff: true, onOutput: echo });
    console.log("The preview shows the rename as an in-place update back to the program's displayName.");

    if (keep) {
      console.log(`\nKept: stack 'demo' in ${inline.dir} (the emulator stops with this process). Remove it with: rm -rf ${inline.dir}`);
    } else {
      step("pulumi destroy: each delete waits until the connection is gone");
      await stack.destroy({ onOutput: echo });
      console.log(`\nDone. Connections left on the emulator: ${emulator.control.connections().length}. The scratch stack and state are removed.`);
    }
  } finally {
    if (!keep) inline.dispose();
    await emulator.close();
  }
}

main().catch((e: unknown) => {
  console.error(`\ndemo failed: ${(e as Error).message}`);
  process.exit(1);
});
