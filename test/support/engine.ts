// A stack under the real Pulumi engine (scripts/pulumi-cli.ts: the CLI, a file:// backend, an inline program),
// against an in-process emulator. The program declares one connection per entry of the `connections` config, so
// tests drive it through config changes like a user edits a program.
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { PrivateLinkAttachmentConnection, type PrivateLinkAttachmentConnectionArgs } from "../../provider";
import { createInlineStack, type InlineStack } from "../../scripts/pulumi-cli";

export interface ConnectionSpec {
  name: string;
  displayName?: string;
  environment?: string;
  attachment?: string;
  vpcEndpointId?: string;
  privateEndpointResourceId?: string;
  pscConnectionId?: string;
  timeouts?: { create?: string; update?: string; delete?: string };
  adoptExisting?: boolean;
}

export interface ConnectionOutput {
  id: string;
  displayName?: string;
  phase: string;
  resourceName?: string;
  cloudStatus?: Record<string, string>;
}

export type Credentials = "env" | "config";

function connectionsProgram(): Record<string, unknown> {
  const specs = new pulumi.Config().requireObject<ConnectionSpec[]>("connections");
  const connections: Record<string, unknown> = {};
  for (const spec of specs) {
    const args: PrivateLinkAttachmentConnectionArgs = {
      displayName: spec.displayName,
      environment: { id: spec.environment ?? "env-emu000" },
      privateLinkAttachment: { id: spec.attachment ?? "platt-emuaws" },
      timeouts: spec.timeouts,
      adoptExisting: spec.adoptExisting,
      ...(spec.vpcEndpointId ? { aws: { vpcEndpointId: spec.vpcEndpointId } } : {}),
      ...(spec.privateEndpointResourceId ? { azure: { privateEndpointResourceId: spec.privateEndpointResourceId } } : {}),
      ...(spec.pscConnectionId ? { gcp: { privateServiceConnectConnectionId: spec.pscConnectionId } } : {}),
    };
    const c = new PrivateLinkAttachmentConnection(spec.name, args);
    connections[spec.name] = { id: c.id, displayName: c.displayName, phase: c.phase, resourceName: c.resourceName, cloudStatus: c.cloudStatus };
  }
  return { connections };
}

export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

export class EngineStack {
  private constructor(readonly emulator: Emulator, private readonly inline: InlineStack) {}

  /** Credentials reach the provider through CONFLUENT_CLOUD_* ("env") or encrypted stack config ("config"). */
  static async start(options: EmulatorOptions = {}, credentials: Credentials = "env"): Promise<EngineStack> {
    const emulator = await startEmulator({ timing: { provisioningMs: 300, deprovisioningMs: 700 }, ...options });
    try {
      const inline = await createInlineStack({
        projectName: "plattc-engine-test",
        stackName: "test",
        program: async () => connectionsProgram(),
        env: credentials === "env"
          ? { CONFLUENT_CLOUD_ENDPOINT: emulator.url, CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret }
          : {},
      });
      const s = new EngineStack(emulator, inline);
      if (credentials === "config") {
        await s.stack.setAllConfig({
          "confluentcloud:endpoint": { value: emulator.url },
          "confluentcloud:cloudApiKey": { value: emulator.credentials.apiKey, secret: true },
          "confluentcloud:cloudApiSecret": { value: emulator.credentials.apiSecret, secret: true },
        });
      }
      return s;
    } catch (e) {
      await emulator.close();
      throw e;
    }
  }

  get stack(): Stack {
    return this.inline.stack;
  }

  setConnections(specs: ConnectionSpec[]): Promise<void> {
    return this.stack.setConfig("connections", { value: JSON.stringify(specs) });
  }

  async outputs(): Promise<Record<string, ConnectionOutput>> {
    const out = await this.stack.outputs();
    return (out.connections?.value ?? {}) as Record<string, ConnectionOutput>;
  }

  /** `pulumi stack export` (secrets stay encrypted, as anyone reading the state sees it): its text and our resources. */
  async exported(): Promise<{ text: string; resources: ExportedResource[] }> {
    const { stdout } = await this.inline.cli(["stack", "export"]);
    const state = JSON.parse(stdout) as { deployment: { resources?: ExportedResource[] } };
    const resources = (state.deployment.resources ?? []).filter((r) => r.type.endsWith(":PrivateLinkAttachmentConnection"));
    return { text: stdout, resources };
  }

  apiRequests(): number {
    return this.emulator.control.requests().length;
  }

  async dispose(): Promise<void> {
    try {
      await this.stack.destroy().catch(() => undefined);
    } finally {
      this.inline.dispose();
      await this.emulator.close();
    }
  }
}
