// The repository as a Pulumi project: `pulumi up` at its root deploys the quickstart (dist/examples/quickstart,
// which Pulumi.yaml names: the compiled program with the packed package installed beside it by `npm run build`),
// `pulumi destroy` removes it. Each connection's `__provider` is a require() of that installed package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { PulumiProject, REPO_ROOT } from "../../scripts/pulumi-cli";
import { assertProviderByReference, connectionsIn, emulatorEnv } from "../support/engine";

test("pulumi up at the repository root creates the quickstart's AWS, Azure and GCP connections, each carrying a require() of the installed package; destroy removes them", async (t) => {
  const emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 300 } });
  const stack = `root-${process.pid}`;
  const stackFile = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
  const project = PulumiProject.inFolder(REPO_ROOT, emulatorEnv(emulator));
  try {
    await project.initStack(stack);
    await project.run(["up", "--yes"]);
    const { connections } = (await project.stackOutputs()) as { connections: Record<string, { id: string; phase: string }> };
    assert.deepEqual(Object.keys(connections).sort(), ["aws", "azure", "gcp"]);
    const server = emulator.control.connections();
    assert.equal(server.length, 3);
    assert.deepEqual(server.map((c) => c.cloud).sort(), ["AWS", "AZURE", "GCP"]);
    for (const c of Object.values(connections)) assert.equal(emulator.control.connection(c.id)?.phase, "READY");
    const { deployment } = await project.exportState();
    const sizes = assertProviderByReference(connectionsIn(deployment));
    t.diagnostic(`__provider per resource at the root: ${[...new Set(sizes)].join(", ")} bytes`);
    await project.run(["destroy", "--yes"]);
    assert.deepEqual(emulator.control.connections(), []);
  } finally {
    await project.run(["destroy", "--yes"], { allowFailure: true });
    project.dispose();
    if (existsSync(stackFile)) rmSync(stackFile);
    await emulator.close();
  }
});
