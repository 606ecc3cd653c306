// Driving the dynamic provider the way the Pulumi engine does, against an in-process emulator.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { rmSync } from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator, type EmulatorOptions, type LoggedRequest } from "../../emulator";
import { PrivateLinkAttachmentConnectionProvider } from "../../provider/connection/provider";
import type { ProviderCore, ProviderOptions } from "../../provider/core/operation";
import type { PollPolicy } from "../../provider/core/poll";
import { AWS_ATTACHMENT, AZURE_ATTACHMENT, CONNECTIONS, ENV, GCP_ATTACHMENT, vpce } from "./emulator";
import { installedHandle, makeInstalledProgram } from "./installed";

export { AWS_ATTACHMENT, AZURE_ATTACHMENT, CONNECTIONS, ENV, GCP_ATTACHMENT, vpce };

/** Short, fixed polling so waits on a 100–300 ms provision end within ~50 ms of READY. */
export const FAST_POLL: PollPolicy = { firstMs: 50, minMs: 50, ratio: 0.15, maxMs: 500 };

/** What the engine puts into every resource's inputs and state; must survive into init-error properties. */
export const PROVIDER_MARKER = "serialized-provider-source";

/** What the engine hands the hooks and gets back: untyped data, as tests build it (odd shapes included). */
export type Props = any;

export interface LogLine {
  level: "info" | "warn" | "debug";
  line: string;
}

export const ENV_VARS = [
  "CONFLUENT_CLOUD_API_KEY",
  "CONFLUENT_CLOUD_API_SECRET",
  "CONFLUENT_CLOUD_ACCESS_TOKEN",
  "CONFLUENT_CLOUD_ENDPOINT",
  "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL",
  "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID",
  "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET",
  "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE",
  "CONFLUENT_CLOUD_OAUTH_EXTERNAL_ACCESS_TOKEN",
  "CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID",
  "CONFLUENT_CLOUD_OAUTH_STS_TOKEN_EXPIRED_IN_SECONDS",
] as const;

/** Runs fn with the CONFLUENT_CLOUD_* variables replaced (undefined = unset), restoring them afterwards. */
export async function withEnv<T>(values: Partial<Record<(typeof ENV_VARS)[number], string>>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(ENV_VARS.map((k) => [k, process.env[k]]));
  for (const k of ENV_VARS) {
    if (values[k] === undefined) delete process.env[k];
    else process.env[k] = values[k];
  }
  try {
    return await fn();
  } finally {
    for (const k of ENV_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/** The `configure` request the engine sends: the whole stack config behind a Config-like `get`. */
export function configRequest(cfg: Record<string, string | undefined>): pulumi.dynamic.ConfigureRequest {
  return { config: { get: (key: string) => cfg[key] } as unknown as pulumi.Config };
}

/** A kind's provider as the harness drives it: configured, then check and create as the engine calls them. */
export type DrivenProvider = Pick<ProviderCore, "configure"> & Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "create">>;

/** Drives one kind's provider (made by `make` with the harness's options) against an emulator; `collection` is the kind's API path. */
export class ProviderHarness<P extends DrivenProvider> {
  readonly lines: LogLine[] = [];
  readonly provider: P;

  constructor(readonly emulator: Emulator, private readonly collection: string, make: (options: ProviderOptions) => P, options: ProviderOptions = {}) {
    this.provider = make({ pollPolicy: FAST_POLL, log: (level, line) => this.lines.push({ level, line }), ...options });
  }

  get control() {
    return this.emulator.control;
  }

  /** configure with the emulator's key and secret (the config stays on this harness's provider). */
  async configure(extra: Record<string, string | undefined> = {}): Promise<void> {
    await this.provider.configure(
      configRequest({
        "confluentcloud:cloudApiKey": this.emulator.credentials.apiKey,
        "confluentcloud:cloudApiSecret": this.emulator.credentials.apiSecret,
        "confluentcloud:endpoint": this.emulator.url,
        ...extra,
      }),
    );
  }

  /** `check` as the engine calls it; fails the test on any check failure. */
  async check(args: Props): Promise<Props> {
    const { inputs, failures } = await this.provider.check({}, { __provider: PROVIDER_MARKER, ...args });
    assert.deepEqual(failures, [], "check failures");
    return inputs;
  }

  /** check + create. */
  async create(args: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
    const inputs = await this.check(args);
    const { id, outs } = await this.provider.create(inputs);
    return { id, outs, inputs };
  }

  /** What the engine keeps as state: the outputs plus `__provider`. */
  static state(outs: Props): Props {
    return { ...outs, __provider: PROVIDER_MARKER };
  }

  /** The requests the emulator served (the identity provider's and STS's too), or those of this kind's collection or items. */
  requests(filter: { method?: string; route?: "collection" | "item" } = {}): LoggedRequest[] {
    return this.control.requests().filter((r) => {
      if (filter.method && r.method !== filter.method) return false;
      if (filter.route === "collection" && r.route !== this.collection) return false;
      if (filter.route === "item" && r.route !== `${this.collection}/{id}`) return false;
      return true;
    });
  }

  count(method: string, route: "collection" | "item"): number {
    return this.requests({ method, route }).length;
  }

  warnings(): string[] {
    return this.lines.filter((l) => l.level === "warn").map((l) => l.line);
  }
}

export class Harness extends ProviderHarness<PrivateLinkAttachmentConnectionProvider> {
  constructor(emulator: Emulator, options: ProviderOptions = {}) {
    super(emulator, CONNECTIONS, (o) => new PrivateLinkAttachmentConnectionProvider(o), options);
  }
}

/** Runs fn with a harness of the given kind (Harness, AttachmentHarness), configured with the emulator's key pair. */
export async function withProvider<H extends ProviderHarness<DrivenProvider>, T>(
  harness: new (emulator: Emulator, options?: ProviderOptions) => H,
  options: EmulatorOptions,
  fn: (h: H) => Promise<T>,
  providerOptions: ProviderOptions = {},
): Promise<T> {
  const emulator = await startEmulator({
    timing: { provisioningMs: 100, deprovisioningMs: 100 },
    attachmentTiming: { provisioningMs: 150, deprovisioningMs: 100 },
    ...options,
  });
  try {
    const h = new harness(emulator, providerOptions);
    await h.configure();
    return await fn(h);
  } finally {
    await emulator.close();
  }
}

export function withHarness<T>(options: EmulatorOptions, fn: (h: Harness) => Promise<T>, providerOptions: ProviderOptions = {}): Promise<T> {
  return withProvider(Harness, options, fn, providerOptions);
}

/**
 * What a connection that is gone answers: 404, or 403 `Forbidden Access` as production does (the emulator's
 * goneAs403). Every test of deletion or refresh runs in both.
 */
export const GONE_MODES = [
  { label: "gone = 404", options: { goneAs403: false } },
  { label: "gone = 403 Forbidden Access", options: { goneAs403: true } },
] as const;

export type GoneOptions = (typeof GONE_MODES)[number]["options"];

/** One test per gone mode, named after it; fn gets the mode's emulator options to spread into withHarness's. */
export function testInGoneModes(name: string, fn: (gone: GoneOptions) => Promise<void>): void {
  for (const { label, options } of GONE_MODES) test(`${name} [${label}]`, () => fn(options));
}

/** The status a gone connection answers in this mode. */
export function goneStatus(gone: GoneOptions): 403 | 404 {
  return gone.goneAs403 ? 403 : 404;
}

export function awsArgs(extra: Props = {}): Props {
  return {
    displayName: "conn-aws",
    environment: { id: ENV },
    privateLinkAttachment: { id: AWS_ATTACHMENT },
    aws: { vpcEndpointId: vpce() },
    ...extra,
  };
}

let azureCounter = 0;
export function azureArgs(extra: Props = {}): Props {
  const name = `pe-test-${++azureCounter}`;
  return {
    displayName: `conn-${name}`,
    environment: { id: ENV },
    privateLinkAttachment: { id: AZURE_ATTACHMENT },
    azure: {
      privateEndpointResourceId: `/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/${name}`,
    },
    ...extra,
  };
}

let gcpCounter = 0;
export function gcpArgs(extra: Props = {}): Props {
  return {
    displayName: "conn-gcp",
    environment: { id: ENV },
    privateLinkAttachment: { id: GCP_ATTACHMENT },
    gcp: { privateServiceConnectConnectionId: String(7_000_000_000_000 + ++gcpCounter) },
    ...extra,
  };
}

/** Waits (in 5 ms steps) for a condition on the emulator's side, e.g. that a POST has been applied. */
export async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs fn and returns what it threw (failing the test if it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

/** Every ApiError message part the design requires. */
export function assertApiErrorNames(error: any, parts: { operation: string; status: number; detail?: string; requestId?: string; connectionId?: string }): void {
  const message = String(error?.message);
  assert.match(message, new RegExp(parts.operation), `operation in: ${message}`);
  assert.ok(message.includes(`HTTP ${parts.status}`), `HTTP status in: ${message}`);
  if (parts.detail) assert.ok(message.includes(parts.detail), `detail "${parts.detail}" in: ${message}`);
  if (parts.requestId) assert.ok(message.includes(parts.requestId), `request id ${parts.requestId} in: ${message}`);
  if (parts.connectionId) assert.ok(message.includes(parts.connectionId), `connection id ${parts.connectionId} in: ${message}`);
}

/**
 * The provider as the dynamic-provider plugin runs it, for the current suite: a default provider (no log sink, so
 * progress and warnings go through pulumi.log, which without an engine writes to stdout / stderr) and the handle of
 * the package as a program folder installed it (what each resource's __provider requires). The folder is removed
 * after the suite.
 */
export function asThePluginRunsIt(): { provider: PrivateLinkAttachmentConnectionProvider; handle: pulumi.dynamic.ResourceProvider; program: string } {
  const program = makeInstalledProgram();
  after(() => rmSync(program, { recursive: true, force: true }));
  return { provider: new PrivateLinkAttachmentConnectionProvider({ pollPolicy: FAST_POLL }), handle: installedHandle(program), program };
}
