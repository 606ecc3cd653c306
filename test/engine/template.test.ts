// examples/quickstart as a template: `pulumi new <path> --dir my-app`, the stack config its template section
// asks for, this package installed with npm from its `npm pack` tarball, then `pulumi up`: each resource's
// `__provider` is a require() of the installed package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { packedTarball, PulumiProject, REPO_ROOT } from "../../scripts/pulumi-cli";
import { assertProviderByReference, connectionsIn, emulatorEnv } from "../support/engine";

test("pulumi new from examples/quickstart gives a project that deploys once its ids are set", async (t) => {
  const emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 300 } });
  emulator.control.addAttachment({ id: "platt-mine01", environmentId: "env-mine01", cloud: "AWS", region: "eu-west-1" });
  emulator.control.addAttachment({ id: "platt-mine02", environmentId: "env-mine01", cloud: "AZURE", region: "westeurope" });
  emulator.control.addAttachment({ id: "platt-mine03", environmentId: "env-mine01", cloud: "GCP", region: "europe-west1" });
  const project = PulumiProject.create("my-app", { install: false, env: emulatorEnv(emulator) });
  try {
    await project.run(["new", path.join(REPO_ROOT, "examples/quickstart"), "--dir", project.dir, "--name", "my-app", "--yes", "--generate-only", "--force"]);
    const pulumiYaml = readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8");
    assert.match(pulumiYaml, /name: my-app/);
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", packedTarball()], { cwd: project.dir, stdio: ["ignore", "ignore", "inherit"] });
    await project.initStack("dev");
    await project.setConfig("environmentId", "env-mine01");
    await project.setConfig("awsAttachmentId", "platt-mine01");
    await project.setConfig("azureAttachmentId", "platt-mine02");
    await project.setConfig("gcpAttachmentId", "platt-mine03");
    await project.run(["up", "--yes"]);
    const server = emulator.control.connections();
    assert.equal(server.length, 3);
    assert.ok(server.every((c) => c.environmentId === "env-mine01" && c.phase === "READY"));
    assert.deepEqual(server.map((c) => c.privateLinkAttachmentId).sort(), ["platt-mine01", "platt-mine02", "platt-mine03"]);
    const { deployment } = await project.exportState();
    const sizes = assertProviderByReference(connectionsIn(deployment));
    t.diagnostic(`__provider per resource in the project pulumi new made: ${[...new Set(sizes)].join(", ")} bytes`);
    await project.run(["destroy", "--yes"]);
    assert.deepEqual(emulator.control.connections(), []);
  } finally {
    project.dispose();
    await emulator.close();
  }
});
