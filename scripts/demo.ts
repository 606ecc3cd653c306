// `npm run demo`: the quickstart (examples/quickstart) deployed on the bundled emulator the way a user does it:
// the `pulumi` CLI in a project folder that installed this package from its `npm pack` tarball.
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { PulumiProject, REPO_ROOT } from "./pulumi-cli";

function step(text: string): void {
  console.log(`\n\x1b[1m==> ${text}\x1b[0m`);
}

const echo = (text: string) => process.stdout.write(text);

interface ConnectionOutput {
  id: string;
  displayName: string;
  phase: string;
  cloudStatus?: Record<string, string>;
}

interface AttachmentOutput {
  id: string;
  displayName: string;
  phase: string;
  dnsDomain?: string;
  /** What the cloud side's endpoint targets: the VPC endpoint service, private link service alias, service attachment. */
  endpoint?: string;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

async function main(): Promise<void> {
  const keep = process.argv.includes("--keep");
  step("Starting the Confluent Cloud emulator");
  const emulator = await startEmulator({
    timing: { provisioningMs: 4000, deprovisioningMs: 2000 },
    attachmentTiming: { provisioningMs: 3000, deprovisioningMs: 1000 },
  });
  console.log(`emulator at ${emulator.url}: environment ${emulator.environments[0]} (the quickstart creates its own attachments in it)`);

  step("A project folder: examples/quickstart copied, this package installed from its npm pack tarball");
  console.log("(finding or building the Pulumi CLI with scripts/install-pulumi-cli.sh: a few minutes the first time, cached after)");
  const project = PulumiProject.create("quickstart", { from: path.join(REPO_ROOT, "examples/quickstart") });
  /** Runs `pulumi …` in the project and shows it as typed; `shown` replaces arguments that must not be printed. */
  const pulumi = async (args: string[], shown: string[] = args) => {
    console.log(`\n$ pulumi ${shown.join(" ")}`);
    return project.run(args, { onOutput: echo });
  };
  try {
    console.log(`${project.dir} (every command below runs there with --non-interactive, as in CI)`);
    await pulumi(["login", `file://${project.backend}`]);
    await pulumi(["stack", "init", "dev"]);
    await pulumi(["config", "set", "confluentcloud:endpoint", emulator.url]);
    await pulumi(["config", "set", "--secret", "confluentcloud:cloudApiKey", emulator.credentials.apiKey], ["config", "set", "--secret", "confluentcloud:cloudApiKey", "<key>"]);
    await pulumi(["config", "set", "--secret", "confluentcloud:cloudApiSecret", emulator.credentials.apiSecret], ["config", "set", "--secret", "confluentcloud:cloudApiSecret", "<secret>"]);

    step("What would be created (a preview sends nothing to the API)");
    await pulumi(["preview"]);
    console.log(`requests the API received during the preview: ${emulator.control.requests().length}`);

    step("Three attachments (AWS us-east-1, Azure eastus, GCP us-central1), then a connection on each: every create waits for Confluent");
    const started = Date.now();
    await pulumi(["up", "--yes"]);
    console.log(`pulumi up took ${((Date.now() - started) / 1000).toFixed(1)} s (the emulator provisions an attachment in ${emulator.attachmentTiming.provisioningMs / 1000} s, then a connection in ${emulator.timing.provisioningMs / 1000} s)`);

    const attachments = JSON.parse((await pulumi(["stack", "output", "attachments", "--json"])).stdout) as Record<string, AttachmentOutput>;
    const out = JSON.parse((await pulumi(["stack", "output", "connections", "--json"])).stdout) as Record<string, ConnectionOutput>;
    for (const [cloud, a] of Object.entries(attachments)) {
      const c = out[cloud];
      const onServer = c && emulator.control.connection(c.id);
      check(onServer?.privateLinkAttachmentId === a.id && onServer.phase === "READY", `the ${cloud} connection is not READY on attachment ${a.id}`);
      console.log(`${cloud}: attachment ${a.id} (${a.phase}, ${a.dnsDomain}, endpoint ${a.endpoint}) ← connection ${c!.id} READY`);
    }
    check(Object.keys(attachments).length === 3, "the quickstart did not export 3 attachments");

    step(`Drift: ${out.aws!.id} renamed outside Pulumi, as in the Confluent Cloud console`);
    emulator.control.rename(out.aws!.id, "renamed-in-the-console");
    console.log(`the emulator now calls ${out.aws!.id} "renamed-in-the-console"`);
    await pulumi(["refresh", "--yes"]);
    await pulumi(["preview", "--diff"]);
    console.log("The refresh recorded the new name; the preview plans an in-place update back to the program's displayName.");

    if (keep) {
      console.log(`\nKept: stack 'dev' in ${project.dir} (the emulator stops with this process). Remove it with: rm -rf ${project.root}`);
    } else {
      step("Destroy: each connection first, waited for until gone, then its attachment");
      const before = emulator.control.requests().length;
      await pulumi(["destroy", "--yes"]);
      const log = emulator.control.requests().slice(before);
      for (const [cloud, a] of Object.entries(attachments)) {
        const connectionGone = log.findIndex((r) => r.method === "GET" && r.path.endsWith(`/${out[cloud]!.id}`) && r.status === 404);
        const attachmentDelete = log.findIndex((r) => r.method === "DELETE" && r.path.endsWith(`/${a.id}`));
        check(connectionGone >= 0 && attachmentDelete > connectionGone, `${a.id} was not deleted after its connection was gone`);
        check(emulator.control.attachment(a.id) === undefined, `${a.id} is still on the emulator`);
      }
      console.log(`\nDone. Connections left on the emulator: ${emulator.control.connections().length}; attachments it made left: ${emulator.control.attachments().filter((a) => !a.seeded).length}. The project folder and its state are removed.`);
    }
  } finally {
    if (!keep) project.dispose();
    await emulator.close();
  }
}

main().catch((e: unknown) => {
  console.error(`\ndemo failed: ${(e as Error).message}`);
  process.exit(1);
});
