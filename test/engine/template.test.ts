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
import { emulatorEnv, quickstartUpAndDestroy, QUICK_ATTACHMENT_TIMING } from "../support/engine";

test("pulumi new from examples/quickstart gives a project that deploys its attachments and connections once its environment is set", async (t) => {
  const emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 300 }, attachmentTiming: QUICK_ATTACHMENT_TIMING });
  emulator.control.addEnvironment("env-mine01");
  const project = PulumiProject.create("my-app", { install: false, env: emulatorEnv(emulator) });
  try {
    await project.run(["new", path.join(REPO_ROOT, "examples/quickstart"), "--dir", project.dir, "--name", "my-app", "--yes", "--generate-only", "--force"]);
    const pulumiYaml = readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8");
    assert.match(pulumiYaml, /name: my-app/);
    assert.doesNotMatch(pulumiYaml, /AttachmentId/, "no attachment id to ask for: the program declares its attachments");
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", packedTarball()], { cwd: project.dir, stdio: ["ignore", "ignore", "inherit"] });
    await project.initStack("dev");
    await project.setConfig("environmentId", "env-mine01");
    await project.setConfig("namePrefix", "mine");
    await quickstartUpAndDestroy(project, emulator, "env-mine01", { t, where: "in the project pulumi new made" }, () => {
      assert.deepEqual(emulator.control.attachments().filter((a) => !a.seeded).map((a) => a.displayName).sort(), ["mine-aws", "mine-azure", "mine-gcp"]);
    });
  } finally {
    project.dispose();
    await emulator.close();
  }
});
