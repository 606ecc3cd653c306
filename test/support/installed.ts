// A program folder that installed this package: package.json and the built provider (dist/provider) under
// node_modules/pulumi-confluent-plattc, the runtime dependencies linked beside it. This is how every test meets the
// provider as Pulumi stores and revives it: only from a node_modules folder does the closure serializer write
// `__provider` as a require() of the installed module (and the resource class refuses to be declared otherwise).
//
// The package can be loaded in this process (`installedPackage`, `installedHandle`): its @pulumi/pulumi is then this
// process's (the link resolves to the same file), so Pulumi's mocks and pulumi.log apply to it. `runProgram` runs a
// script in the folder in a child process instead, as a program runs. `revive` turns a `__provider` text back into
// the provider the way the dynamic-provider plugin does, its require()s resolved from the program folder.
import type { TestContext } from "node:test";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import type * as Package from "../../provider/index";
import { REPO_ROOT } from "../../scripts/repo-root";

const LINKED = ["@pulumi", "axios", "axios-retry"];
const PACKAGE = "pulumi-confluent-plattc";

/** The program folder; the caller removes it (`installedProgram` does it when the test ends). */
export function makeInstalledProgram(): string {
  const program = mkdtempSync(join(tmpdir(), "installed-"));
  const pkg = join(program, "node_modules", PACKAGE);
  mkdirSync(join(pkg, "dist"), { recursive: true });
  cpSync(join(REPO_ROOT, "package.json"), join(pkg, "package.json"));
  cpSync(resolve(__dirname, "../../provider"), join(pkg, "dist", "provider"), { recursive: true });
  for (const dep of LINKED) symlinkSync(join(REPO_ROOT, "node_modules", dep), join(program, "node_modules", dep));
  return program;
}

export function installedProgram(t: TestContext): string {
  const program = makeInstalledProgram();
  t.after(() => rmSync(program, { recursive: true, force: true }));
  return program;
}

/** The installed package's public exports, loaded in this process. */
export function installedPackage(program: string): typeof Package {
  return require(join(program, "node_modules", PACKAGE)) as typeof Package;
}

/** The installed handle (provider/handle.ts): the provider object the resources hand to dynamic.Resource. */
export function installedHandle(program: string): pulumi.dynamic.ResourceProvider {
  return require(join(program, "node_modules", PACKAGE, "dist/provider/handle.js")) as pulumi.dynamic.ResourceProvider;
}

export type Revived = Required<Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">>;

/**
 * `requireFromString(text).handler()`, as the dynamic-provider plugin revives `__provider`: the text is a CommonJS
 * module whose require()s the plugin resolves from its working directory, the program folder. So it is written
 * there and required.
 */
export function revive(program: string, text: string): Revived {
  const file = join(program, `provider-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.js`);
  writeFileSync(file, text);
  return (require(file) as { handler(): Revived }).handler();
}

/** Runs `source` as program.js in the folder (its cwd) with `env` added to this process's environment. */
export async function runProgram<T>(program: string, source: string, env: Record<string, string> = {}): Promise<T> {
  writeFileSync(join(program, "program.js"), source);
  // The symlinked @pulumi/pulumi runs from its real path, where it looks the package up with require.resolve:
  // NODE_PATH lets it find the package as it would in a real install (program/node_modules/@pulumi/pulumi).
  const { stdout } = await promisify(execFile)(process.execPath, ["program.js"], { cwd: program, env: { ...process.env, ...env, NODE_PATH: join(program, "node_modules") } });
  return JSON.parse(stdout.trim().split("\n").pop()!) as T;
}
