// The last step of `npm run build`: dist/examples/quickstart (the compiled quickstart, which the root Pulumi.yaml
// runs) becomes a project folder of its own, with this package installed from its `npm pack` tarball.
//
// Its package.json puts the program outside this package's scope, so `require("pulumi-confluent-plattc")` is not
// a self-reference to dist/provider but a lookup in its node_modules, where the tarball is extracted as npm
// extracts one (real files, no symlink). The package's dependencies (@pulumi/pulumi, axios, axios-retry) resolve
// from the repository's node_modules above it, as the program's own @pulumi/pulumi does. The engine runs the
// program and the dynamic-provider plugin in this folder, so each resource's `__provider` is a require() of the
// installed package, as in any project that installed it.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./repo-root";

const PACKAGE = "pulumi-confluent-plattc";
const ROOT_PROGRAM = path.join(REPO_ROOT, "dist/examples/quickstart");

interface Manifest {
  name: string;
  description?: string;
}

/** `npm pack` of the built package, extracted to `node_modules/pulumi-confluent-plattc` under `dir`. */
function installPackedPackage(dir: string): void {
  const modules = path.join(dir, "node_modules");
  const target = path.join(modules, PACKAGE);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  const scratch = path.join(modules, ".pack");
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch);
  try {
    const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch], { cwd: REPO_ROOT, encoding: "utf8" });
    const tarball = path.join(scratch, out.trim().split("\n").pop()!);
    execFileSync("tar", ["-xzf", tarball, "-C", scratch]);
    renameSync(path.join(scratch, "package"), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function writeManifest(dir: string): void {
  const example = JSON.parse(readFileSync(path.join(REPO_ROOT, "examples/quickstart/package.json"), "utf8")) as Manifest;
  const manifest = { name: example.name, private: true, description: example.description, main: "index.js" };
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

if (require.main === module) {
  writeManifest(ROOT_PROGRAM);
  installPackedPackage(ROOT_PROGRAM);
}
