// The repository as a Pulumi project: `pulumi up` at its root deploys the quickstart (dist/examples/quickstart,
// which Pulumi.yaml names: the compiled program with the packed package installed beside it by `npm run build`),
// `pulumi destroy` removes it. Each attachment's and connection's `__provider` is a require() of that installed package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { PulumiProject, REPO_ROOT } from "../../scripts/pulumi-cli";
import { emulatorEnv, quickstartUpAndDestroy, QUICK_ATTACHMENT_TIMING } from "../support/engine";

test("pulumi up at the repository root creates the quickstart's AWS, Azure and GCP attachments and a connection on each, each carrying a require() of the installed package; destroy removes them", async (t) => {
  const emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 300 }, attachmentTiming: QUICK_ATTACHMENT_TIMING });
  const stack = `root-${process.pid}`;
  const stackFile = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
  const project = PulumiProject.inFolder(REPO_ROOT, emulatorEnv(emulator));
  try {
    await project.initStack(stack);
    await quickstartUpAndDestroy(project, emulator, "env-emu000", { t, where: "at the root" }, async () => {
      const { attachments, connections } = (await project.stackOutputs()) as {
        attachments: Record<string, { id: string; phase: string; dnsDomain: string; endpoint: string }>;
        connections: Record<string, { id: string; phase: string }>;
      };
      assert.deepEqual(Object.keys(attachments).sort(), ["aws", "azure", "gcp"]);
      assert.deepEqual(Object.keys(connections).sort(), ["aws", "azure", "gcp"]);
      for (const [cloud, a] of Object.entries(attachments)) {
        const server = emulator.control.attachment(a.id);
        assert.ok(server, `${a.id} on the emulator`);
        assert.equal(server.cloud, cloud.toUpperCase());
        assert.ok(["WAITING_FOR_CONNECTIONS", "READY"].includes(a.phase), a.phase);
        assert.equal(a.dnsDomain, (server.body.status as { dns_domain: string }).dns_domain);
        assert.ok(a.endpoint, `${cloud}: the attachment's endpoint output`);
        assert.equal(emulator.control.connection(connections[cloud]!.id)?.privateLinkAttachmentId, a.id);
      }
      assert.match(attachments.aws!.endpoint, /vpce-svc/);
    });
  } finally {
    await project.run(["destroy", "--yes"], { allowFailure: true });
    project.dispose();
    if (existsSync(stackFile)) rmSync(stackFile);
    await emulator.close();
  }
});
