// The emulator's world: environments, attachments and connections, with the lifecycle computed from a clock.
import { createHash, randomBytes } from "node:crypto";
import { attachmentPhase, type AttachmentRecord } from "./attachment-state";
import { DEFAULTS, type AttachmentDeletion, type AttachmentSeed, type AttachmentTiming, type Clock, type Timing } from "./options";

export type Endpoint =
  | { cloud: "AWS"; vpcEndpointId: string }
  | { cloud: "AZURE"; privateEndpointResourceId: string }
  | { cloud: "GCP"; privateServiceConnectConnectionId: string };

export interface ForcedPhase {
  phase: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface ConnectionRecord {
  id: string;
  seq: number;
  environmentId: string;
  attachmentId: string;
  displayName?: string;
  endpoint: Endpoint;
  createdAt: number;
  updatedAt: number;
  readyAt: number;
  held: boolean;
  forced?: ForcedPhase;
  deletedAt?: number;
  /** status.cloud values taken verbatim from a seeded body (recorded responses), rendered instead of derived ones. */
  statusCloudOverride?: Record<string, unknown>;
}

export const ORGANIZATION_ID = "0e6a1d5c-7b3f-4e2a-9c11-5a7e3b9d2f40";

export function endpointIdOf(endpoint: Endpoint): string {
  switch (endpoint.cloud) {
    case "AWS": return endpoint.vpcEndpointId;
    case "AZURE": return endpoint.privateEndpointResourceId;
    case "GCP": return endpoint.privateServiceConnectConnectionId;
  }
}

/** One endpoint, however it is spelt: Azure resource ids are case-insensitive, AWS and GCP ids are not. */
function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  if (a.cloud !== b.cloud) return false;
  const [x, y] = [endpointIdOf(a), endpointIdOf(b)];
  return a.cloud === "AZURE" ? x.toLowerCase() === y.toLowerCase() : x === y;
}

/** A stable hex fingerprint, for ids and names derived from an attachment. */
export function digest(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** What Confluent's side of an attachment offers, derived deterministically from the attachment. */
export function attachmentService(a: AttachmentSeed): Record<string, string> {
  switch (a.cloud) {
    case "AWS":
      return { vpc_endpoint_service_name: `com.amazonaws.vpce.${a.region}.vpce-svc-${digest(a.id, 17)}` };
    case "AZURE": {
      const h = digest(a.id, 32);
      const guid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
      return {
        private_link_service_alias: `pls-${a.id}.${guid}.${a.region}.azure.privatelinkservice`,
        private_link_service_resource_id: `/subscriptions/${guid}/resourceGroups/rg-${a.id}/providers/Microsoft.Network/privateLinkServices/pls-${a.id}`,
      };
    }
    case "GCP":
      return { private_service_connect_service_attachment: `projects/confluent-emulator/regions/${a.region}/serviceAttachments/${a.id}-service-attachment` };
  }
}

export class World {
  readonly environments = new Set<string>();
  readonly attachments = new Map<string, AttachmentRecord>();
  readonly connections = new Map<string, ConnectionRecord>();
  /** Told of every connection a create makes, as it is made (before the create is answered). */
  readonly createdListeners = new Set<(c: ConnectionRecord) => void>();
  /** Told of every attachment a create makes, as it is made (before the create is answered). */
  readonly attachmentCreatedListeners = new Set<(a: AttachmentRecord) => void>();
  attachmentTiming: AttachmentTiming = { ...DEFAULTS.attachmentTiming };
  /** What DELETE does to an attachment that still has connections. */
  attachmentDeletion: AttachmentDeletion = DEFAULTS.attachmentDeletion;
  private nextSeq = 1;
  private nextAttachmentSeq = 1;

  constructor(private readonly clock: Clock, public timing: Timing) {}

  now(): number {
    return this.clock.now();
  }

  seed(environments: string[], attachments: AttachmentSeed[]): void {
    for (const env of environments) this.environments.add(env);
    const now = this.now();
    for (const a of attachments) {
      this.environments.add(a.environmentId);
      const { id, environmentId, cloud, region, displayName } = a;
      this.attachments.set(id, {
        id, environmentId, cloud, region, ...(displayName !== undefined ? { displayName } : {}),
        seq: this.nextAttachmentSeq++, createdAt: now, updatedAt: now, provisionedAt: now, held: false, seeded: true,
      });
    }
  }

  clearConnections(): void {
    this.connections.clear();
  }

  /**
   * Connections whose deprovisioning has finished no longer exist, nor do attachments whose deprovisioning has
   * finished and whose connections are all gone.
   */
  private purge(): void {
    const now = this.now();
    for (const [id, c] of this.connections) {
      if (c.deletedAt !== undefined && now >= c.deletedAt + this.timing.deprovisioningMs) this.connections.delete(id);
    }
    const connected = new Set([...this.connections.values()].map((c) => c.attachmentId));
    for (const [id, a] of this.attachments) {
      if (a.deletedAt !== undefined && now >= a.deletedAt + this.attachmentTiming.deprovisioningMs && !connected.has(id)) this.attachments.delete(id);
    }
  }

  phaseOf(c: ConnectionRecord): string {
    if (c.deletedAt !== undefined) return "DEPROVISIONING";
    if (c.forced) return c.forced.phase;
    return this.isProvisioned(c) ? "READY" : "PROVISIONING";
  }

  /** Whether Confluent's side has been set up, so status.cloud can be filled. */
  isProvisioned(c: ConnectionRecord): boolean {
    return !c.held && this.now() >= c.readyAt;
  }

  get(id: string): ConnectionRecord | undefined {
    this.purge();
    return this.connections.get(id);
  }

  /** Every live connection in creation order, the one order every listing uses. */
  all(): ConnectionRecord[] {
    this.purge();
    return [...this.connections.values()].sort((a, b) => a.seq - b.seq);
  }

  findByEndpoint(attachmentId: string, endpoint: Endpoint): ConnectionRecord | undefined {
    return this.all().find((c) => c.attachmentId === attachmentId && sameEndpoint(c.endpoint, endpoint));
  }

  newId(): string {
    let id: string;
    do id = `plattc-${randomBytes(4).toString("hex").slice(0, 6)}`; while (this.connections.has(id));
    return id;
  }

  insert(fields: Omit<ConnectionRecord, "seq">): ConnectionRecord {
    const record: ConnectionRecord = { ...fields, seq: this.nextSeq++ };
    this.connections.set(record.id, record);
    const attachment = this.attachments.get(record.attachmentId);
    if (attachment && attachment.firstConnectionAt === undefined) attachment.firstConnectionAt = this.now();
    return record;
  }

  create(args: { environmentId: string; attachmentId: string; displayName?: string; endpoint: Endpoint }): ConnectionRecord {
    const now = this.now();
    const record = this.insert({
      id: this.newId(),
      ...args,
      createdAt: now,
      updatedAt: now,
      readyAt: now + this.timing.provisioningMs,
      held: false,
    });
    for (const listener of this.createdListeners) listener(record);
    return record;
  }

  rename(c: ConnectionRecord, displayName: string | undefined): void {
    c.displayName = displayName;
    c.updatedAt = this.now();
  }

  markDeleted(c: ConnectionRecord): void {
    if (c.deletedAt === undefined) {
      c.deletedAt = this.now();
      c.updatedAt = c.deletedAt;
    }
  }

  removeNow(id: string): boolean {
    return this.connections.delete(id);
  }

  hold(c: ConnectionRecord, held: boolean): void {
    if (c.held && !held) c.readyAt = Math.max(c.readyAt, this.now());
    c.held = held;
  }

  force(c: ConnectionRecord, forced: ForcedPhase | undefined): void {
    c.forced = forced;
    c.updatedAt = this.now();
  }

  // ---- attachments ----------------------------------------------------------------------------------------

  /** An attachment that still exists (DEPROVISIONING included). */
  getAttachment(id: string): AttachmentRecord | undefined {
    this.purge();
    return this.attachments.get(id);
  }

  /** Every attachment that still exists, in creation (or seeding) order. */
  allAttachments(): AttachmentRecord[] {
    this.purge();
    return [...this.attachments.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The connections of an attachment that still exist, in creation order. */
  connectionsOf(attachmentId: string): ConnectionRecord[] {
    return this.all().filter((c) => c.attachmentId === attachmentId);
  }

  attachmentPhaseOf(a: AttachmentRecord): string {
    const phases = this.connectionsOf(a.id).map((c) => this.phaseOf(c));
    return attachmentPhase(a, this.now(), this.attachmentTiming, phases);
  }

  newAttachmentId(): string {
    let id: string;
    do id = `platt-${randomBytes(4).toString("hex").slice(0, 6)}`; while (this.attachments.has(id));
    return id;
  }

  createAttachment(args: AttachmentSeed): AttachmentRecord {
    const now = this.now();
    const record: AttachmentRecord = {
      ...args, seq: this.nextAttachmentSeq++, createdAt: now, updatedAt: now,
      provisionedAt: now + this.attachmentTiming.provisioningMs, held: false, seeded: false,
    };
    this.attachments.set(record.id, record);
    for (const listener of this.attachmentCreatedListeners) listener(record);
    return record;
  }

  renameAttachment(a: AttachmentRecord, displayName: string | undefined): void {
    if (displayName === undefined) delete a.displayName;
    else a.displayName = displayName;
    a.updatedAt = this.now();
  }

  /** Starts deprovisioning the attachment, and its connections with it when `cascade`. */
  markAttachmentDeleted(a: AttachmentRecord, cascade: boolean): void {
    if (cascade) for (const c of this.connectionsOf(a.id)) this.markDeleted(c);
    if (a.deletedAt === undefined) {
      a.deletedAt = this.now();
      a.updatedAt = a.deletedAt;
    }
  }

  /** Gone at once, with its connections. */
  removeAttachmentNow(id: string): boolean {
    for (const c of this.connectionsOf(id)) this.connections.delete(c.id);
    return this.attachments.delete(id);
  }

  holdAttachment(a: AttachmentRecord, held: boolean): void {
    if (a.held && !held) a.provisionedAt = Math.max(a.provisionedAt, this.now());
    a.held = held;
  }

  forceAttachment(a: AttachmentRecord, forced: ForcedPhase | undefined): void {
    if (forced) a.forced = forced;
    else delete a.forced;
    a.updatedAt = this.now();
  }
}
