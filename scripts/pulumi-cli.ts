// Running programs under the real Pulumi engine, offline: the CLI that install-pulumi-cli.sh builds or finds,
// a file:// backend in a scratch folder, no update checks and no plugin downloads. Programs run as Automation
// API inline programs (the Node.js language host is not available from the registries); the engine still runs
// the dynamic provider in its own plugin process (pulumi-resource-pulumi-nodejs) on Node 24.
// Used by the demo, the engine tests and the benchmarks.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./repo-root";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";

export { REPO_ROOT };

/** Scratch stacks (git-ignored). */
const SCRATCH = path.join(REPO_ROOT, ".work");

let cachedBin: string | undefined;

/** The folder holding `pulumi`: built or found by scripts/install-pulumi-cli.sh (its last output line). */
export function pulumiBinDir(): string {
  if (cachedBin) return cachedBin;
  const script = path.join(REPO_ROOT, "scripts/install-pulumi-cli.sh");
  let out: string;
  try {
    out = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], cwd: REPO_ROOT, env: { ...process.env, PULUMI_CLI_NO_TOOLS_LINK: "1" } });
  } catch (e) {
    throw new Error(
      `no Pulumi CLI: ${script} failed (${(e as Error).message.split("\n")[0]}). It builds the CLI with Go from the Go module proxy: `
      + "install Go ≥ 1.26 (and jq), or put a pulumi ≥ 3.274.1 on PATH, then run `npm run pulumi:install`.",
    );
  }
  const last = out.trim().split("\n").pop()?.trim();
  if (!last) throw new Error(`${script} printed no folder`);
  cachedBin = last;
  return cachedBin;
}

export interface InlineStack {
  stack: Stack;
  /** Runs another `pulumi` command on this stack's project, backend and home (e.g. a plain `stack export`). */
  cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  /** Scratch folder (under the repository's .work/): the work dir, backend state and PULUMI_HOME. */
  dir: string;
  dispose(): void;
}

export interface InlineStackOptions {
  projectName: string;
  stackName: string;
  program: PulumiFn;
  /** Extra environment for the CLI and the plugins it starts (on top of this process's). */
  env?: Record<string, string>;
  passphrase?: string;
}

export async function createInlineStack(options: InlineStackOptions): Promise<InlineStack> {
  const bin = pulumiBinDir();
  // The engine starts the dynamic-provider plugin in the work dir, and the provider text it revives resolves
  // its require()s from there: keep the scratch folder inside the repository, above which node_modules lies.
  mkdirSync(SCRATCH, { recursive: true });
  const dir = mkdtempSync(path.join(SCRATCH, "pulumi-"));
  mkdirSync(path.join(dir, "state"), { recursive: true });
  try {
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin), skipVersionCheck: true });
    const envVars: Record<string, string> = {
      PATH: [bin, path.join(REPO_ROOT, "node_modules/.bin"), process.env.PATH].join(path.delimiter),
      PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "confluent-plattc-local",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_NODEJS_SDK_DIR: path.join(REPO_ROOT, "node_modules/@pulumi/pulumi"),
    };
    Object.assign(envVars, options.env);
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: options.stackName, projectName: options.projectName, program: options.program },
      {
        pulumiCommand,
        pulumiHome: path.join(dir, "home"),
        workDir: dir,
        envVars,
        projectSettings: { name: options.projectName, runtime: "nodejs", backend: { url: `file://${path.join(dir, "state")}` } },
      },
    );
    const home = path.join(dir, "home");
    return {
      stack,
      cli: (args) => new Promise((resolve, reject) => {
        execFile(pulumiCommand.command, [...args, "--stack", options.stackName, "--non-interactive"], { cwd: dir, env: { ...process.env, ...envVars, PULUMI_HOME: home }, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
          if (error) reject(Object.assign(error, { stdout, stderr }));
          else resolve({ stdout, stderr, code: 0 });
        });
      }),
      dir,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
