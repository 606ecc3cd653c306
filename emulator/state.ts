// The emulator's world: environments, attachments and connections, with the lifecycle computed from a clock.
import { createHash, randomBytes } from "node:crypto";
import type { AttachmentSeed, Clock, Timing } from "./options";

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
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
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
  readonly attachments = new Map<string, AttachmentSeed>();
  readonly connections = new Map<string, ConnectionRecord>();
  /** Told of every connection a create makes, as it is made (before the create is answered). */
  readonly createdListeners = new Set<(c: ConnectionRecord) => void>();
  private nextSeq = 1;

  constructor(private readonly clock: Clock, public timing: Timing) {}

  now(): number {
    return this.clock.now();
  }

  seed(environments: string[], attachments: AttachmentSeed[]): void {
    for (const env of environments) this.environments.add(env);
    for (const a of attachments) {
      this.environments.add(a.environmentId);
      this.attachments.set(a.id, { ...a });
    }
  }

  clearConnections(): void {
    this.connections.clear();
  }

  /** Connections whose deprovisioning has finished no longer exist. */
  private purge(): void {
    const now = this.now();
    for (const [id, c] of this.connections) {
      if (c.deletedAt !== undefined && now >= c.deletedAt + this.timing.deprovisioningMs) this.connections.delete(id);
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
}
