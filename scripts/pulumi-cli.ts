// The user's path under the real Pulumi engine, offline: the `pulumi` CLI (and its Node.js language host) that
// install-pulumi-cli.sh builds or finds, run in a project folder that installed this package from its `npm pack`
// tarball, with a file:// backend and its own PULUMI_HOME. Used by the demo, the engine tests and the benchmarks.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./repo-root";

export { REPO_ROOT };

/** Where installs of the packed package are kept between runs (git-ignored). */
const INSTALLS = path.join(REPO_ROOT, ".work/installs");
const PACKAGE = "pulumi-confluent-plattc";
const PASSPHRASE = "confluent-plattc-local";
/** What `pulumi new typescript` writes. */
const TSCONFIG = `${JSON.stringify({
  compilerOptions: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true },
  files: ["index.ts"],
}, null, 2)}\n`;

let cachedBin: string | undefined;

/** The folder holding `pulumi` and `pulumi-language-nodejs`: scripts/install-pulumi-cli.sh's last output line. */
export function pulumiBinDir(): string {
  if (cachedBin) return cachedBin;
  const script = path.join(REPO_ROOT, "scripts/install-pulumi-cli.sh");
  let out: string;
  try {
    out = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], cwd: REPO_ROOT, env: { ...process.env, PULUMI_CLI_NO_TOOLS_LINK: "1" } });
  } catch (e) {
    throw new Error(
      `no Pulumi CLI: ${script} failed (${(e as Error).message.split("\n")[0]}). It builds the CLI and its Node.js language host with Go `
      + "from the Go module proxy: install Go ≥ 1.26 (and jq), or put a pulumi ≥ 3.274.1 with pulumi-language-nodejs beside it on PATH, "
      + "then run `npm run pulumi:install`.",
      { cause: e },
    );
  }
  const last = out.trim().split("\n").pop()?.trim();
  if (!last) throw new Error(`${script} printed no folder`);
  cachedBin = last;
  return cachedBin;
}

let cachedTarball: string | undefined;

/** `npm pack` of the built package (dist/ must be current), once per process. */
export function packedTarball(): string {
  if (cachedTarball) return cachedTarball;
  const dir = mkdtempSync(path.join(os.tmpdir(), "plattc-pack-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
  cachedTarball = path.join(dir, name);
  return cachedTarball;
}

/** The dependencies of every project made here, as a user's `package.json` would list them. */
export function projectPackageJson(name: string, tarball: string): Record<string, unknown> {
  const own = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  return {
    name,
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": own.dependencies["@pulumi/pulumi"], [PACKAGE]: `file:${tarball}` },
    devDependencies: { "@types/node": own.devDependencies["@types/node"], typescript: own.devDependencies.typescript },
  };
}

/**
 * A node_modules folder holding the packed package and a TypeScript toolchain, installed by npm once per tarball
 * content and kept; projects get a hard-linked copy, so each has a complete node_modules of its own.
 */
export function installedModules(): string {
  const tarball = packedTarball();
  const key = createHash("sha256").update(readFileSync(tarball)).update(JSON.stringify(projectPackageJson("", ""))).digest("hex").slice(0, 16);
  const done = path.join(INSTALLS, key);
  if (existsSync(path.join(done, "node_modules", PACKAGE, "package.json"))) return path.join(done, "node_modules");
  mkdirSync(INSTALLS, { recursive: true });
  const work = mkdtempSync(path.join(INSTALLS, `${key}.tmp-`));
  // The tarball is copied beside the install so that package-lock's `file:` reference outlives the pack folder.
  const kept = path.join(work, path.basename(tarball));
  cpSync(tarball, kept);
  writeFileSync(path.join(work, "package.json"), JSON.stringify(projectPackageJson("plattc-install", kept), null, 2));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent"], { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
  try {
    renameSync(work, done);
    // Installs of earlier builds are not used again.
    for (const other of readdirSync(INSTALLS)) if (other !== key && !other.includes(".tmp-")) rmSync(path.join(INSTALLS, other), { recursive: true, force: true });
  } catch {
    rmSync(work, { recursive: true, force: true }); // another process finished first: use its install
  }
  return path.join(done, "node_modules");
}

/** The project's package.json (its own, or a new one) with this package's dependency pointing at the tarball. */
function writeProjectPackageJson(dir: string, name: string): void {
  const file = path.join(dir, "package.json");
  const tarball = `file:${packedTarball()}`;
  const json = existsSync(file)
    ? JSON.parse(readFileSync(file, "utf8")) as { dependencies?: Record<string, string> }
    : projectPackageJson(name, packedTarball()) as { dependencies?: Record<string, string> };
  json.dependencies = { ...json.dependencies, [PACKAGE]: tarball };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment for this command only. */
  env?: Record<string, string>;
  /** Resolve with a non-zero exit code instead of rejecting. */
  allowFailure?: boolean;
  /** Each chunk of output as it arrives (the demo shows them). */
  onOutput?: (chunk: string) => void;
  stdin?: string;
}

export interface ProjectOptions {
  /** Files of the project: a folder to copy (a fixture, a template) and/or file texts by relative path. */
  from?: string;
  files?: Record<string, string>;
  /** Environment of every command (on top of the offline defaults); CONFLUENT_CLOUD_* is never inherited. */
  env?: Record<string, string>;
  /** Install the packed package into the project (default true). */
  install?: boolean;
}

/** A project folder a user would have: Pulumi.yaml, package.json, the program, node_modules; plus its backend. */
export class PulumiProject {
  readonly env: Record<string, string>;

  private constructor(readonly root: string, readonly dir: string, env: Record<string, string>) {
    this.env = env;
  }

  static create(name: string, options: ProjectOptions = {}): PulumiProject {
    const bin = pulumiBinDir();
    const root = mkdtempSync(path.join(os.tmpdir(), `plattc-${name}-`));
    const dir = path.join(root, name);
    try {
      mkdirSync(dir, { recursive: true });
      mkdirSync(path.join(root, "state"));
      if (options.from) cpSync(options.from, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
      for (const [file, text] of Object.entries(options.files ?? {})) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      if (options.install !== false) {
        const modules = installedModules();
        writeProjectPackageJson(dir, name);
        if (!existsSync(path.join(dir, "tsconfig.json"))) writeFileSync(path.join(dir, "tsconfig.json"), TSCONFIG);
        execFileSync("cp", ["-al", `${modules}/.`, path.join(dir, "node_modules")]);
      }
      return new PulumiProject(root, dir, cliEnvironment(bin, root, options.env));
    } catch (e) {
      rmSync(root, { recursive: true, force: true });
      throw e;
    }
  }

  /** A project folder that exists already (the repository root, a `pulumi new` result); backend and home in a temp folder. */
  static inFolder(dir: string, env: Record<string, string> = {}): PulumiProject {
    const root = mkdtempSync(path.join(os.tmpdir(), "plattc-backend-"));
    mkdirSync(path.join(root, "state"));
    return new PulumiProject(root, dir, cliEnvironment(pulumiBinDir(), root, env));
  }

  /** The file:// backend's folder (what `pulumi login file://…` points at). */
  get backend(): string {
    return path.join(this.root, "state");
  }

  /** `pulumi …` in the project folder, as a user types it (non-interactive, no colour). */
  run(args: string[], options: RunOptions = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = this.spawn(args, options.env);
      let stdout = "";
      let stderr = "";
      // decoded as a stream, so that a character split across two chunks stays whole
      child.stdout!.setEncoding("utf8").on("data", (d: string) => { stdout += d; options.onOutput?.(d); });
      child.stderr!.setEncoding("utf8").on("data", (d: string) => { stderr += d; options.onOutput?.(d); });
      if (options.stdin !== undefined) child.stdin!.end(options.stdin);
      else child.stdin!.end();
      child.on("error", reject);
      child.on("close", (code, signal) => {
        const result = { code: code ?? (signal ? 128 : 1), stdout, stderr };
        if (result.code === 0 || options.allowFailure) resolve(result);
        else reject(Object.assign(new Error(`pulumi ${args.join(" ")} exited with ${code ?? signal}:\n${tail(stdout)}\n${tail(stderr)}`), result));
      });
    });
  }

  /** Starts `pulumi …` in a process group of its own, so a test can signal it the way a terminal or CI does. */
  spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    return spawn("pulumi", ["--non-interactive", "--color", "never", ...args], {
      cwd: this.dir, env: { ...this.env, ...env }, stdio: ["pipe", "pipe", "pipe"], detached: true,
    });
  }

  /** login to the project's file:// backend and create (and select) a stack. */
  async initStack(stack = "dev"): Promise<void> {
    await this.run(["login", `file://${this.backend}`]);
    await this.run(["stack", "init", stack]);
  }

  async setConfig(key: string, value: string, options: { secret?: boolean; path?: boolean } = {}): Promise<void> {
    await this.run(["config", "set", ...(options.secret ? ["--secret"] : ["--plaintext"]), ...(options.path ? ["--path"] : []), key, "--", value]);
  }

  /** The plain `pulumi stack export` (secrets stay encrypted, as anyone reading the state sees it). */
  async exportState(): Promise<{ text: string; deployment: Deployment }> {
    const { stdout } = await this.run(["stack", "export"]);
    return { text: stdout, deployment: (JSON.parse(stdout) as { deployment: Deployment }).deployment };
  }

  async stackOutputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.run(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

export interface Deployment {
  resources?: StateResource[];
  pending_operations?: { resource: StateResource; type: string }[];
}

/** The environment of every CLI command: offline, this project's backend and home, Node 24 first on PATH. */
function cliEnvironment(bin: string, root: string, extra: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("CONFLUENT_CLOUD_") && !k.startsWith("PULUMI_"))) as Record<string, string>;
  return {
    ...inherited,
    // The language host and the dynamic-provider launcher start `node` from PATH: the Node this process runs on.
    PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
    PULUMI_HOME: path.join(root, "home"),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    ...extra,
  };
}

function tail(text: string, lines = 40): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
