// A project under the real Pulumi engine, on the user's path: a fixture folder from test/engine/fixtures copied
// into a project that installed this package from its `npm pack` tarball, driven with the `pulumi` CLI
// (scripts/pulumi-cli.ts), against an in-process emulator.
import assert from "node:assert/strict";
import * as path from "node:path";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { PulumiProject, REPO_ROOT, type CommandResult, type Deployment, type RunOptions, type StateResource } from "../../scripts/pulumi-cli";

/** Where the provider finds its credentials; "none": the test sets them itself (e.g. OAuth stack config). */
export type Credentials = "env" | "config" | "none";

export const FIXTURES = path.join(REPO_ROOT, "test/engine/fixtures");

export interface EngineOptions {
  emulator?: EmulatorOptions;
  /** Credentials reach the provider through CONFLUENT_CLOUD_* ("env", default) or encrypted stack config ("config"). */
  credentials?: Credentials;
  /** Plain stack config set before the first command. */
  config?: Record<string, string>;
}

export class EngineProject {
  private constructor(readonly emulator: Emulator, readonly project: PulumiProject) {}

  static async start(fixture: string, options: EngineOptions = {}): Promise<EngineProject> {
    const emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 500 }, ...options.emulator });
    let project: PulumiProject | undefined;
    try {
      const credentials = options.credentials ?? "env";
      project = PulumiProject.create(fixture, { from: path.join(FIXTURES, fixture), env: credentials === "env" ? emulatorEnv(emulator) : {} });
      await project.initStack();
      if (credentials === "config") {
        await project.setConfig("confluentcloud:endpoint", emulator.url);
        await project.setConfig("confluentcloud:cloudApiKey", emulator.credentials.apiKey, { secret: true });
        await project.setConfig("confluentcloud:cloudApiSecret", emulator.credentials.apiSecret, { secret: true });
      }
      for (const [key, value] of Object.entries(options.config ?? {})) await project.setConfig(key, value);
      return new EngineProject(emulator, project);
    } catch (e) {
      project?.dispose();
      await emulator.close();
      throw e;
    }
  }

  pulumi(args: string[], options?: RunOptions): Promise<CommandResult> {
    return this.project.run(args, options);
  }

  config(key: string, value: string): Promise<void> {
    return this.project.setConfig(key, value);
  }

  /** This package's resources in the state (`pulumi stack export`), with the export's text. */
  async state(): Promise<{ text: string; resources: StateResource[]; pending: StateResource[] }> {
    const { text, deployment } = await this.project.exportState();
    return {
      text,
      resources: connectionsIn(deployment),
      pending: (deployment.pending_operations ?? []).map((p) => p.resource).filter(isConnection),
    };
  }

  async outputs(): Promise<Record<string, unknown>> {
    return this.project.stackOutputs();
  }

  apiRequests(): number {
    return this.emulator.control.requests().length;
  }

  async dispose(): Promise<void> {
    try {
      await this.project.run(["destroy", "--yes"], { allowFailure: true });
    } finally {
      this.project.dispose();
      await this.emulator.close();
    }
  }
}

function isConnection(r: StateResource): boolean {
  return r.type.endsWith(":PrivateLinkAttachmentConnection");
}

/** This package's resources in a `pulumi stack export`. */
export function connectionsIn(deployment: Deployment): StateResource[] {
  return (deployment.resources ?? []).filter(isConnection);
}

/** The one module a `__provider` may require: the handle of the installed package (provider/handle.ts). */
export const INSTALLED_HANDLE = "pulumi-confluent-plattc/dist/provider/handle.js";
/** The most a resource's `__provider` may weigh in the state: a require() is ~300 bytes, a copy of the code ~200 KB. */
export const MAX_PROVIDER_BYTES = 1024;

/**
 * Each resource's `__provider` in the state, in its inputs and its outputs: at most MAX_PROVIDER_BYTES, and a
 * require() of the installed package's handle and of nothing else. Returns the size of each, in bytes (UTF-8).
 */
export function assertProviderByReference(resources: StateResource[]): number[] {
  assert.ok(resources.length > 0, "no resource in the state");
  const sizes: number[] = [];
  for (const r of resources) {
    for (const [where, props] of [["inputs", r.inputs], ["outputs", r.outputs]] as const) {
      const text = props?.__provider;
      assert.equal(typeof text, "string", `${r.urn}: no __provider in its ${where}`);
      const bytes = Buffer.byteLength(text as string, "utf8");
      const requires = [...(text as string).matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      assert.ok(bytes <= MAX_PROVIDER_BYTES, `${r.urn}: __provider in its ${where} is ${bytes} bytes (requires: ${requires.join(", ")})`);
      assert.deepEqual(requires, [INSTALLED_HANDLE], `${r.urn}: __provider in its ${where} is not a require() of the installed package`);
      sizes.push(bytes);
    }
  }
  return sizes;
}

/** The provider's settings for the emulator, as CONFLUENT_CLOUD_* environment variables. */
export function emulatorEnv(emulator: Emulator): Record<string, string> {
  return { CONFLUENT_CLOUD_ENDPOINT: emulator.url, CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret };
}

/** The API calls of one method + route the emulator counted, e.g. posts(emulator) for creates. */
export function posts(emulator: Emulator): number {
  return emulator.control.counts().byRoute["POST /networking/v1/private-link-attachment-connections"] ?? 0;
}
