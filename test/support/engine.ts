// A project under the real Pulumi engine, on the user's path: a fixture folder from test/engine/fixtures copied
// into a project that installed this package from its `npm pack` tarball, driven with the `pulumi` CLI
// (scripts/pulumi-cli.ts), against an in-process emulator.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
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
  /** Whether the last command was a whole `destroy --yes` that succeeded: dispose has nothing left to destroy. */
  private destroyed = false;

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

  /** Only `confluentcloud:oauth` and the endpoint in the stack config, set as a user does: with --path, the client secret with --secret. */
  async useOAuth(client: { clientId: string; clientSecret: string }, identityPoolId: string): Promise<void> {
    const oauth = (key: string, value: string, secret = false) => this.project.setConfig(`confluentcloud:oauth.${key}`, value, { path: true, secret });
    await this.project.setConfig("confluentcloud:endpoint", this.emulator.url);
    await oauth("oauthExternalTokenUrl", this.emulator.oauth.tokenUrl);
    await oauth("oauthExternalClientId", client.clientId);
    await oauth("oauthExternalClientSecret", client.clientSecret, true);
    await oauth("oauthIdentityPoolId", identityPoolId);
  }

  async pulumi(args: string[], options?: RunOptions): Promise<CommandResult> {
    this.destroyed = false;
    const result = await this.project.run(args, options);
    this.destroyed = args.join(" ") === "destroy --yes" && result.code === 0;
    return result;
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
      if (!this.destroyed) await this.project.run(["destroy", "--yes"], { allowFailure: true });
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

/** The one module a connection's `__provider` may require: the handle of the installed package (provider/handle.ts). */
export const INSTALLED_HANDLE = "pulumi-confluent-plattc/dist/provider/handle.js";
/** The one module an attachment's `__provider` may require (provider/attachment-handle.ts). */
const INSTALLED_ATTACHMENT_HANDLE = "pulumi-confluent-plattc/dist/provider/attachment-handle.js";

function isAttachment(r: StateResource): boolean {
  return r.type.endsWith(":PrivateLinkAttachment");
}

/** This package's attachments in a `pulumi stack export`. */
function attachmentsIn(deployment: Deployment): StateResource[] {
  return (deployment.resources ?? []).filter(isAttachment);
}
/** The most a resource's `__provider` may weigh in the state: a require() is ~300 bytes, a copy of the code ~200 KB. */
export const MAX_PROVIDER_BYTES = 1024;

/**
 * Each resource's `__provider` in the state, in its inputs and its outputs: at most MAX_PROVIDER_BYTES, and a
 * require() of the installed package's handle for its type (connection or attachment) and of nothing else. Returns the size of each, in bytes (UTF-8).
 */
export function assertProviderByReference(resources: StateResource[]): number[] {
  assert.ok(resources.length > 0, "no resource in the state");
  const sizes: number[] = [];
  for (const r of resources) {
    const handle = isAttachment(r) ? INSTALLED_ATTACHMENT_HANDLE : INSTALLED_HANDLE;
    for (const [where, props] of [["inputs", r.inputs], ["outputs", r.outputs]] as const) {
      const text = props?.__provider;
      assert.equal(typeof text, "string", `${r.urn}: no __provider in its ${where}`);
      const bytes = Buffer.byteLength(text as string, "utf8");
      const requires = [...(text as string).matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      assert.ok(bytes <= MAX_PROVIDER_BYTES, `${r.urn}: __provider in its ${where} is ${bytes} bytes (requires: ${requires.join(", ")})`);
      assert.deepEqual(requires, [handle], `${r.urn}: __provider in its ${where} is not a require() of the installed package`);
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

/** The emulator's attachment timing for a project that creates attachments (the default takes 3 s to provision). */
export const QUICK_ATTACHMENT_TIMING = { provisioningMs: 300, deprovisioningMs: 300 };

/** An attachment examples/quickstart made and the connection on it. */
interface QuickstartPair {
  attachmentId: string;
  connectionId: string;
}

/** The regions examples/quickstart declares its attachments in. */
const QUICKSTART_REGIONS: Record<string, string> = { AWS: "us-east-1", AZURE: "eastus", GCP: "us-central1" };

/**
 * `pulumi up` of a project running examples/quickstart, checked (assertQuickstartUp, then `afterUp`), then `pulumi
 * destroy`, checked (assertQuickstartDestroyed). Each `__provider` size is a diagnostic of `t`, saying `where`.
 */
export async function quickstartUpAndDestroy(
  project: PulumiProject, emulator: Emulator, environmentId: string,
  report: { t: TestContext; where: string }, afterUp: () => Promise<void> | void = () => undefined,
): Promise<void> {
  await project.run(["up", "--yes"]);
  const { deployment } = await project.exportState();
  const { made, sizes } = assertQuickstartUp(emulator, deployment, environmentId);
  report.t.diagnostic(`__provider per resource ${report.where}: ${[...new Set(sizes)].join(", ")} bytes`);
  await afterUp();
  const before = emulator.control.requests().length;
  await project.run(["destroy", "--yes"]);
  assertQuickstartDestroyed(emulator, made, before);
}

/**
 * examples/quickstart deployed: an attachment per cloud made through the API in `environmentId`, a READY connection
 * on each (of the same cloud), and in the state 3 attachments and 3 connections whose `__provider` is a require() of
 * the installed package. Returns each attachment made with its connection, and each `__provider` size in bytes.
 */
function assertQuickstartUp(emulator: Emulator, deployment: Deployment, environmentId: string): { made: QuickstartPair[]; sizes: number[] } {
  const made = emulator.control.attachments().filter((a) => !a.seeded);
  assert.deepEqual(made.map((a) => `${a.cloud} ${a.region}`).sort(), Object.entries(QUICKSTART_REGIONS).map(([cloud, region]) => `${cloud} ${region}`));
  assert.ok(made.every((a) => a.environmentId === environmentId && a.phase === "READY"), JSON.stringify(made.map((a) => [a.id, a.environmentId, a.phase])));
  const connections = emulator.control.connections();
  assert.equal(connections.length, 3);
  for (const c of connections) {
    const on = made.find((a) => a.id === c.privateLinkAttachmentId);
    assert.ok(on, `${c.id} is on ${c.privateLinkAttachmentId}, not on an attachment the quickstart made`);
    assert.equal(c.cloud, on.cloud);
    assert.equal(c.environmentId, environmentId);
    assert.equal(c.phase, "READY");
  }
  assert.deepEqual(connections.map((c) => c.privateLinkAttachmentId).sort(), made.map((a) => a.id).sort(), "one connection per attachment");
  const attachments = attachmentsIn(deployment);
  assert.equal(attachments.length, 3, "3 attachments in the state");
  assert.equal(connectionsIn(deployment).length, 3, "3 connections in the state");
  const sizes = assertProviderByReference([...attachments, ...connectionsIn(deployment)]);
  return { made: connections.map((c) => ({ attachmentId: c.privateLinkAttachmentId, connectionId: c.id })), sizes };
}

/**
 * After `pulumi destroy` of examples/quickstart (its log from `requestsBefore` on): no connection left, each attachment
 * it made gone, and each attachment's DELETE sent only once its connection was gone.
 */
function assertQuickstartDestroyed(emulator: Emulator, made: QuickstartPair[], requestsBefore: number): void {
  assert.deepEqual(emulator.control.connections(), []);
  const log = emulator.control.requests().slice(requestsBefore);
  for (const { attachmentId, connectionId } of made) {
    assert.equal(emulator.control.attachment(attachmentId), undefined, `${attachmentId} is gone`);
    const connectionGone = log.findIndex((r) => r.method === "GET" && r.path.endsWith(`/${connectionId}`) && r.status === 404);
    const attachmentDelete = log.findIndex((r) => r.method === "DELETE" && r.path.endsWith(`/${attachmentId}`));
    assert.ok(connectionGone >= 0, `${connectionId} was deleted and seen gone`);
    assert.ok(attachmentDelete > connectionGone, `${attachmentId} deleted after its connection ${connectionId} was gone`);
  }
}
