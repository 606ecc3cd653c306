// A program folder that "installed" this package: package.json and this build's provider/ under
// node_modules/pulumi-confluent-plattc (the files dist/provider holds), the runtime dependencies linked beside it.
// `runProgram` runs a script there in a child process and returns the JSON its last line prints.
import type { TestContext } from "node:test";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../scripts/repo-root";

const LINKED = ["@pulumi", "axios", "axios-retry", "require-from-string"];

export function installedProgram(t: TestContext): string {
  const program = mkdtempSync(join(tmpdir(), "installed-"));
  t.after(() => rmSync(program, { recursive: true, force: true }));
  const pkg = join(program, "node_modules", "pulumi-confluent-plattc");
  mkdirSync(join(pkg, "dist"), { recursive: true });
  cpSync(join(REPO_ROOT, "package.json"), join(pkg, "package.json"));
  cpSync(resolve(__dirname, "../../provider"), join(pkg, "dist", "provider"), { recursive: true });
  for (const dep of LINKED) symlinkSync(join(REPO_ROOT, "node_modules", dep), join(program, "node_modules", dep));
  return program;
}

export async function runProgram<T>(program: string, source: string): Promise<T> {
  writeFileSync(join(program, "program.js"), source);
  // The symlinked @pulumi/pulumi runs from its real path, where it looks the package up with require.resolve:
  // NODE_PATH lets it find the package as it would in a real install (program/node_modules/@pulumi/pulumi).
  const { stdout } = await promisify(execFile)(process.execPath, ["program.js"], { cwd: program, env: { ...process.env, NODE_PATH: join(program, "node_modules") } });
  return JSON.parse(stdout.trim().split("\n").pop()!) as T;
}
