// The real dynamic-provider plugin (`@pulumi/pulumi/cmd/dynamic-provider`, what `pulumi-resource-pulumi-nodejs`
// runs) in a child process, a gRPC client to it, and the serialized provider text exactly as
// `pulumi.dynamic.Resource` stores it in `__provider`, from the package as a program folder installed it
// (support/installed.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { after, before } from "node:test";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { installedPackage, makeInstalledProgram } from "./installed";

export type Props = Record<string, unknown>;

/** A secret as it travels in a Struct (the SDK's rpc secret wrapper); the plugin unwraps it before `configure`. */
export function rpcSecret(value: string): Props {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

export function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
}

export function fromStruct(struct: Struct | undefined): Props {
  return struct?.toJavaScript() ?? {};
}

let mocked: Promise<void> | undefined;
const captured = new Map<string, (inputs: Props) => void>();

/**
 * Declares a `PrivateLinkAttachmentConnection` of the package installed in `program` under Pulumi's mocks and
 * returns the `__provider` input the SDK registered for it: the text `dynamic.Resource` puts into state
 * (serializeFunction(() => provider) of the installed handle, cached per provider object): a require() of it.
 */
export async function providerTextFromResource(program: string): Promise<string> {
  mocked ??= pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        captured.get(args.name)?.(args.inputs as Props);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
  await mocked;
  const { PrivateLinkAttachmentConnection } = installedPackage(program);
  const name = `serialized-${captured.size + 1}`;
  const inputs = new Promise<Props>((resolve) => captured.set(name, resolve));
  new PrivateLinkAttachmentConnection(name, {
    environment: { id: "env-abc123" },
    privateLinkAttachment: { id: "platt-abc123" },
    aws: { vpcEndpointId: "vpce-0123456789abcdef0" },
  });
  const text = (await inputs).__provider;
  if (typeof text !== "string") throw new Error(`the resource registered no __provider string: ${JSON.stringify(text)}`);
  return text;
}

export interface EngineLog {
  severity: number;
  message: string;
  urn: string;
  ephemeral: boolean;
}

/** The engine's side of pulumi.log: a gRPC Engine service that records Log calls. */
interface RecordingEngine {
  address: string;
  logs: EngineLog[];
  /** Resolves with the first line (already received or still to come) that `match` accepts. */
  logMatching(match: (line: EngineLog) => boolean): Promise<EngineLog>;
  stop(): void;
}

async function startEngine(): Promise<RecordingEngine> {
  const logs: EngineLog[] = [];
  const waiting: { match: (line: EngineLog) => boolean; resolve: (line: EngineLog) => void }[] = [];
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, cb: (e: grpc.ServiceError) => void) => cb({ code: grpc.status.UNIMPLEMENTED } as grpc.ServiceError);
  server.addService(EngineService, {
    log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      const r = call.request;
      const line = { severity: r.getSeverity(), message: r.getMessage(), urn: r.getUrn(), ephemeral: r.getEphemeral() };
      logs.push(line);
      for (const w of waiting.filter((w) => w.match(line))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
      cb(null, new Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    logs,
    logMatching: (match) => {
      const seen = logs.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ match, resolve }));
    },
    stop: () => server.forceShutdown(),
  };
}

export interface Plugin {
  port: number;
  client: ResourceProviderClient;
  child: ChildProcess;
  /** Everything the plugin printed so far. */
  stdout(): string;
  /** What the plugin logged to the engine (progress lines, warnings), with the URN each names. */
  engineLogs(): EngineLog[];
  /** The first engine log line `match` accepts, once it has arrived (pulumi.log sends without being awaited). */
  engineLog(match: (line: EngineLog) => boolean): Promise<EngineLog>;
  stderr(): string;
  /**
   * Every `grpc-status-details-bin` trailer the plugin sent (a google.rpc.Status), as the bytes it handed to gRPC:
   * an init error's trailer holds the resource's properties, `__provider` included. A client receives it only while
   * it stays under 64 KiB: nghttp2 (under Node's HTTP/2, so under any Node gRPC client) refuses a larger header
   * field (NGHTTP2_HD_MAX_NV) and resets the stream, which a provider copied into `__provider` by value (~200 KB)
   * would reach. Tests compare what was sent with what the client got.
   */
  statusDetails(): Buffer[];
  stop(): Promise<void>;
}

const PLUGIN_ENV_DROP = /^(PULUMI_NODEJS_|CONFLUENT_CLOUD_)/;

/** Preloaded into the plugin: records each grpc-status-details-bin value the plugin adds to its trailers. */
function capturePreload(grpcJs: string, file: string): string {
  return `"use strict";
const fs = require("fs");
const grpc = require(${JSON.stringify(grpcJs)});
const add = grpc.Metadata.prototype.add;
grpc.Metadata.prototype.add = function (key, value) {
  if (key === "grpc-status-details-bin") fs.appendFileSync(${JSON.stringify(file)}, Buffer.from(value).toString("base64") + "\\n");
  return add.call(this, key, value);
};
`;
}

/**
 * Spawns the dynamic-provider plugin the way the engine does: `node <dynamic-provider> <engine address>`, in the
 * program's directory (`cwd`, where the provider's `require()` resolves: a folder support/installed.ts made), and reads the
 * gRPC port it prints on its first stdout line. The address is a recording Engine service: the provider logs its
 * progress there. CONFLUENT_CLOUD_* is not passed on: credentials come from Configure only.
 */
export async function startPlugin(options: { cwd: string; env?: NodeJS.ProcessEnv; startTimeoutMs?: number }): Promise<Plugin> {
  const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const grpcJs = require.resolve("@grpc/grpc-js", { paths: [dirname(entry)] }); // the copy the plugin loads
  const scratch = mkdtempSync(join(tmpdir(), "plugin-"));
  const detailsFile = join(scratch, "status-details.b64");
  const preload = join(scratch, "capture.js");
  writeFileSync(preload, capturePreload(grpcJs, detailsFile));
  appendFileSync(detailsFile, "");

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!PLUGIN_ENV_DROP.test(k)) env[k] = v;
  Object.assign(env, options.env);
  const engine = await startEngine();
  const child = spawn(process.execPath, ["--require", preload, entry, engine.address], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const cleanupScratch = () => {
    engine.stop();
    rmSync(scratch, { recursive: true, force: true });
  };

  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the plugin printed no port within ${startTimeoutMs} ms; stderr: ${err}`)), startTimeoutMs);
    const onData = () => {
      const newline = out.indexOf("\n");
      if (newline < 0) return;
      const first = out.slice(0, newline).trim();
      cleanup();
      if (/^\d+$/.test(first)) resolve(Number(first));
      else fail(new Error(`the plugin's first line is not a port: ${JSON.stringify(first)}`));
    };
    const onExit = (code: number | null) => fail(new Error(`the plugin exited (${code}) before printing its port; stderr: ${err}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
    }
    function fail(e: Error) {
      cleanup();
      child.kill("SIGKILL");
      cleanupScratch();
      reject(e);
    }
    child.stdout.on("data", onData);
    child.once("exit", onExit);
  });

  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    port,
    client,
    child,
    stdout: () => out,
    stderr: () => err,
    engineLogs: () => [...engine.logs],
    engineLog: (match) => engine.logMatching(match),
    statusDetails: () =>
      existsSync(detailsFile)
        ? readFileSync(detailsFile, "utf8").split("\n").filter(Boolean).map((line) => Buffer.from(line, "base64"))
        : [],
    async stop() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(timer);
      }
      cleanupScratch();
    },
  };
}

type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;

/** One unary call with a deadline: `rpc((md, opts, cb) => client.create(req, md, opts, cb))`. */
export function rpc<T>(call: (metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, cb: Callback<T>) => unknown, timeoutMs = 20_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    call(new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

export interface StatusDetails {
  code: number;
  message: string;
  /** The pulumirpc.ErrorResourceInitFailed among the details, if any. */
  initFailure?: InitFailure;
}

/** google.rpc.Status → Any → pulumirpc.ErrorResourceInitFailed: what the engine decodes from the trailer. */
export function decodeStatusDetails(bytes: Uint8Array): StatusDetails {
  const status = Status.deserializeBinary(bytes);
  const result: StatusDetails = { code: status.getCode(), message: status.getMessage() };
  for (const any of status.getDetailsList()) {
    if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
    const detail = any.unpack((bytes) => ErrorResourceInitFailed.deserializeBinary(bytes), "pulumirpc.ErrorResourceInitFailed");
    if (detail) result.initFailure = { id: detail.getId(), properties: fromStruct(detail.getProperties()), reasons: detail.getReasonsList() };
  }
  return result;
}

/** The status details a client received with an error (grpc-js hands `-bin` metadata over as Buffers). */
export function receivedStatusDetails(error: grpc.ServiceError): StatusDetails | undefined {
  const raw = error.metadata?.get("grpc-status-details-bin")[0];
  if (raw === undefined) return undefined;
  return decodeStatusDetails(typeof raw === "string" ? Buffer.from(raw, "base64") : new Uint8Array(raw));
}

/** The real plugin in a program folder that installed the package, beside an emulator: what a suite's tests drive. */
export interface PluginFixture {
  emulator: Emulator;
  plugin: Plugin;
  /** The `__provider` text a resource of the installed package stores. */
  providerText: string;
  program: string;
}

/** Starts a PluginFixture before the current suite's tests (handed to `started`) and stops it after them. */
export function pluginFixture(emulatorOptions: EmulatorOptions, started: (fixture: PluginFixture) => void): void {
  const fixture = {} as PluginFixture;
  before(async () => {
    fixture.program = makeInstalledProgram();
    [fixture.emulator, fixture.providerText] = await Promise.all([startEmulator(emulatorOptions), providerTextFromResource(fixture.program)]);
    fixture.plugin = await startPlugin({ cwd: fixture.program });
    started(fixture);
  });
  after(async () => {
    await fixture.plugin?.stop();
    await fixture.emulator?.close();
    if (fixture.program) rmSync(fixture.program, { recursive: true, force: true });
  });
}
