// examples/quickstart copied out of the repository and set up as its README says: `npm install <tarball>` in the
// copy (which installs the rest of its package.json too), a stack, `pulumi up`. The examples name no path into
// this repository, which a copy could not resolve; the tarball is installed into the copy's node_modules as real
// files, so each resource's `__provider` is a require() of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { packedTarball, PulumiProject, REPO_ROOT } from "../../scripts/pulumi-cli";
import { emulatorEnv, quickstartUpAndDestroy, QUICK_ATTACHMENT_TIMING } from "../support/engine";

const PACKAGE = "pulumi-confluent-plattc";

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;
}

test("no example's package.json depends on a path (a copy of the folder could not resolve it)", () => {
  const examples = readdirSync(path.join(REPO_ROOT, "examples"));
  assert.ok(examples.includes("quickstart"));
  for (const example of examples) {
    const { dependencies = {}, devDependencies = {} } = manifest(path.join(REPO_ROOT, "examples", example));
    for (const [name, spec] of Object.entries({ ...dependencies, ...devDependencies })) {
      assert.doesNotMatch(spec, /^(file|link):/, `examples/${example}: ${name} is ${spec}`);
    }
    assert.equal(dependencies[PACKAGE], undefined, `examples/${example} names ${PACKAGE}: installing the tarball adds it`);
  }
});

test("a copy of examples/quickstart with the packed package installed deploys its 3 attachments and 3 connections; each __provider is a require() of it", async (t) => {
  const emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 300 }, attachmentTiming: QUICK_ATTACHMENT_TIMING });
  const project = PulumiProject.create("quickstart-copy", { from: path.join(REPO_ROOT, "examples/quickstart"), install: false, env: emulatorEnv(emulator) });
  try {
    const tarball = packedTarball();
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", tarball], { cwd: project.dir, stdio: ["ignore", "ignore", "inherit"] });
    assert.match(manifest(project.dir).dependencies?.[PACKAGE] ?? "", new RegExp(`^file:.*${path.basename(tarball).replace(/\./g, "\\.")}$`));
    assert.ok(lstatSync(path.join(project.dir, "node_modules", PACKAGE)).isDirectory(), "installed as files, not linked");
    await project.initStack("dev");
    await quickstartUpAndDestroy(project, emulator, "env-emu000", { t, where: "in the copy" });
  } finally {
    project.dispose();
    await emulator.close();
  }
});
