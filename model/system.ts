// The system the model is checked against, as a user has it: the `pulumi` CLI in a project folder that installed
// the packed package (test/engine/fixtures/connections: one attachment per entry of the stack config `attachments`,
// one connection per entry of `connections`), against the bundled emulator. Observations are what a user can see:
// the CLI's exit code and output, `pulumi stack export`, and the API's connections and attachments (but the seeded
// attachments, which no stack manages).
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { PulumiProject, REPO_ROOT, type CommandResult } from "../scripts/pulumi-cli";
import type { AttachmentSpec, LiveAttachment, RecordedAttachment } from "./attachments";
import { LOCATIONS, type Live, type Recorded, type Spec } from "./reference";
import type { Timeouts } from "./shared";

const FIXTURE = path.join(REPO_ROOT, "test/engine/fixtures/connections");
const TYPE_SUFFIX = ":PrivateLinkAttachmentConnection";
const ATTACHMENT_TYPE_SUFFIX = ":PrivateLinkAttachment";
const SEEDED = new Set<string>(LOCATIONS.map((l) => l.attachment));

export interface Observed {
  server: Live[];
  state: Map<string, Recorded & { initErrors: number }>;
  attachments: { server: LiveAttachment[]; state: Map<string, RecordedAttachment> };
  /** Resources the state keeps pending deletion (replaced, their delete not yet run). */
  pendingDeletions: string[];
}

/** An attachment's outputs in the state. */
type AttachmentOutputs = {
  displayName?: string;
  cloud: string;
  region: string;
  environment: { id: string };
  phase: string;
  timeouts?: Timeouts;
  adoptExisting?: boolean;
};

/** A connection's outputs in the state, as the provider writes them for the AWS connections of these programs. */
type StateOutputs = {
  displayName?: string;
  aws: { vpcEndpointId: string };
  environment: { id: string };
  privateLinkAttachment: { id: string };
  phase: string;
  timeouts?: Timeouts;
  adoptExisting?: boolean;
};

export class System {
  /** CLI commands run, by their first word (and `config`). */
  readonly commands = new Map<string, number>();
  private programText = "";
  private attachmentsText = "";
  private failedIds: string[] = [];
  private stopFailing: (() => void) | undefined;
  private stopFailingAttachment: (() => void) | undefined;

  private constructor(readonly emulator: Emulator, readonly project: PulumiProject) {}

  static async start(): Promise<System> {
    const emulator = await startEmulator({
      timing: { provisioningMs: 200, deprovisioningMs: 200 },
      attachmentTiming: { provisioningMs: 200, deprovisioningMs: 200 },
      privateLinkAttachments: LOCATIONS.map((l) => ({ id: l.attachment, environmentId: l.environment, cloud: "AWS" as const, region: "us-east-1" })),
    });
    const env = { CONFLUENT_CLOUD_ENDPOINT: emulator.url, CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret };
    let project: PulumiProject | undefined;
    try {
      project = PulumiProject.create("model", { from: FIXTURE, env });
      await project.initStack();
      return new System(emulator, project);
    } catch (e) {
      project?.dispose();
      await emulator.close();
      throw e;
    }
  }

  /** Writes the program's attachments and connections into the stack config, when they changed since the last command. */
  async declare(program: Map<string, Spec>, attachments: Map<string, AttachmentSpec>): Promise<void> {
    const connectionsText = JSON.stringify(Object.fromEntries(program));
    const attachmentsText = JSON.stringify(Object.fromEntries(attachments));
    if (connectionsText !== this.programText) {
      await this.cli(["config", "set", "--plaintext", "connections", "--", connectionsText]);
      this.programText = connectionsText;
    }
    if (attachmentsText !== this.attachmentsText) {
      await this.cli(["config", "set", "--plaintext", "attachments", "--", attachmentsText]);
      this.attachmentsText = attachmentsText;
    }
  }

  async cli(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
    const word = args[0] === "refresh" && args.includes("--preview-only") ? "drift check" : args[0]!;
    this.commands.set(word, (this.commands.get(word) ?? 0) + 1);
    return this.project.run(args, { allowFailure: true, env });
  }

  /**
   * The emulator fails the next connection created on a seeded attachment (FAILED with an error code); which one is
   * told by failedCreate(). Not one on the program's own attachments: when the connection on an attachment's
   * replacement fails, the engine keeps the replaced attachment, pending deletion, which the model leaves out.
   */
  failNextCreate(): void {
    this.stopFailing?.();
    this.stopFailing = this.emulator.control.onCreated((view) => {
      if (!SEEDED.has(view.privateLinkAttachmentId)) return;
      this.stopFailing?.();
      this.stopFailing = undefined;
      this.emulator.control.setPhase(view.id, "FAILED", { errorCode: "PROVISIONING_FAILED", errorMessage: "the endpoint was rejected" });
      this.failedIds.push(view.id);
    });
  }

  /** The emulator fails the next attachment created with this display name (FAILED with an error code). */
  failAttachmentCreate(displayName: string): void {
    this.stopFailingAttachment?.();
    this.stopFailingAttachment = this.emulator.control.onAttachmentCreated((view) => {
      if (view.displayName !== displayName) return;
      this.stopFailingAttachment?.();
      this.stopFailingAttachment = undefined;
      this.emulator.control.setAttachmentPhase(view.id, "FAILED", { errorCode: "PROVISIONING_FAILED", errorMessage: "the attachment could not be provisioned" });
    });
  }

  /** The id of the connection the armed fault failed since the last call, if it fired. */
  failedCreate(): string | undefined {
    return this.failedIds.shift();
  }

  async observe(): Promise<Observed> {
    const server = this.emulator.control.connections().filter((c) => c.phase !== "DEPROVISIONING").map((c) => ({
      id: c.id, displayName: c.displayName, vpcEndpointId: c.endpointId, environment: c.environmentId, attachment: c.privateLinkAttachmentId, phase: c.phase,
    }));
    const { deployment } = await this.project.exportState();
    const state = new Map<string, Recorded & { initErrors: number }>();
    const attachmentState = new Map<string, RecordedAttachment>();
    const pendingDeletions: string[] = [];
    for (const r of deployment.resources ?? []) {
      if ((r as { delete?: boolean }).delete) {
        pendingDeletions.push(r.urn);
        continue;
      }
      if (r.type.endsWith(ATTACHMENT_TYPE_SUFFIX)) {
        const o = (r.outputs ?? {}) as AttachmentOutputs;
        attachmentState.set(r.urn.split("::").pop()!, {
          id: r.id, displayName: o.displayName, cloud: o.cloud, region: o.region, environment: o.environment?.id, phase: o.phase, timeouts: o.timeouts, adoptExisting: o.adoptExisting,
        });
      }
      if (!r.type.endsWith(TYPE_SUFFIX)) continue;
      const o = (r.outputs ?? {}) as StateOutputs;
      state.set(r.urn.split("::").pop()!, {
        id: r.id, displayName: o.displayName, vpcEndpointId: o.aws?.vpcEndpointId, environment: o.environment?.id, attachment: o.privateLinkAttachment?.id,
        phase: o.phase, timeouts: o.timeouts, adoptExisting: o.adoptExisting, initErrors: (r.initErrors ?? []).length,
      });
    }
    const attachments = this.emulator.control.attachments().filter((a) => !SEEDED.has(a.id) && a.phase !== "DEPROVISIONING").map((a) => ({
      id: a.id, displayName: a.displayName, cloud: a.cloud, region: a.region, environment: a.environmentId, phase: a.phase,
    }));
    return { server, state, attachments: { server: attachments, state: attachmentState }, pendingDeletions };
  }

  /** API requests since the emulator started, for "a preview sends none". */
  requests(): { method: string; path: string }[] {
    return this.emulator.control.requests();
  }

  async dispose(): Promise<void> {
    this.stopFailing?.();
    this.stopFailingAttachment?.();
    try {
      await this.project.run(["destroy", "--yes"], { allowFailure: true });
    } finally {
      this.project.dispose();
      await this.emulator.close();
    }
  }
}
