// Running the real Pulumi CLI offline: a file:// backend in a scratch folder, no update checks, no plugin
// downloads, Node 24 and the CLI built by install-pulumi-cli.sh first on PATH. Used by the demo, the engine
// tests and the benchmarks.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = findRepoRoot();

function findRepoRoot(): string {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    try {
      const pkg = require(path.join(dir, "package.json")) as { name?: string };
      if (pkg.name === "pulumi-confluent-plattc") return dir;
    } catch {
      // keep looking
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

let cachedBin: string | undefined;

/** The folder holding `pulumi`: built or found by scripts/install-pulumi-cli.sh (its last output line). */
export function pulumiBinDir(): string {
  if (cachedBin) return cachedBin;
  const script = path.join(REPO_ROOT, "scripts/install-pulumi-cli.sh");
  let out: string;
  try {
    out = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], cwd: REPO_ROOT });
  } catch (e) {
    throw new Error(
      `no Pulumi CLI: ${script} failed (${(e as Error).message.split("\n")[0]}). It builds the CLI with Go from the Go module proxy; `
      + "install Go ≥ 1.26, or put a pulumi ≥ the pinned version on PATH, then run `npm run pulumi:install`.",
    );
  }
  const last = out.trim().split("\n").pop() ?? "";
  if (!last) throw new Error(`${script} printed no folder`);
  cachedBin = last.trim();
  return cachedBin;
}

export interface Workspace {
  /** Scratch folder: backend state, PULUMI_HOME. */
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Runs `pulumi args…` in `cwd` (default: the repo root, where Pulumi.yaml is). */
  run(args: string[], options?: RunOptions): Promise<RunResult>;
  dispose(): void;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Stream output to this process's stdout/stderr as well. */
  echo?: boolean;
  /** Resolve even when the command fails (default: reject). */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function createWorkspace(extraEnv: NodeJS.ProcessEnv = {}, passphrase = "confluent-plattc-local"): Workspace {
  const bin = pulumiBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), "plattc-pulumi-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [bin, path.join(REPO_ROOT, "node_modules/.bin"), process.env.PATH].join(path.delimiter),
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NO_COLOR: "1",
    ...extraEnv,
  };
  require("node:fs").mkdirSync(path.join(dir, "state"), { recursive: true });
  return {
    dir,
    env,
    run: (args, options = {}) => runPulumi(args, { ...options, env: { ...env, ...options.env } }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function runPulumi(args: string[], options: RunOptions & { env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: options.cwd ?? REPO_ROOT, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 10 * 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const result = { code: code ?? -1, stdout, stderr };
      if (code !== 0 && !options.allowFailure) {
        reject(Object.assign(new Error(`pulumi ${args.join(" ")} exited ${code}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`), { result }));
      } else resolve(result);
    });
  });
}
