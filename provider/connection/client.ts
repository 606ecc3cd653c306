// The connection's API: the five operations on /networking/v1/private-link-attachment-connections, answers read
// into typed connections (model.ts), over the core's transport.
import { openTransport, requireId, resourceClient, type ClientOptions } from "../core/transport/client";
import type { Transport } from "../core/transport/request";
import { CLOUDS, connectionFromWire, type Connection } from "./model";
import type { WireCreateRequest, WireUpdateRequest } from "./wire";

interface ListQuery {
  environmentId: string;
  privateLinkAttachmentId?: string;
  pageSize?: number;
}

interface CreateResult {
  status: number;
  connection: Connection;
  location?: string;
}

export interface ConfluentClient {
  /** Follows every page. */
  listConnections(q: ListQuery): Promise<Connection[]>;
  getConnection(id: string, environmentId: string): Promise<Connection>;
  createConnection(body: WireCreateRequest): Promise<CreateResult>;
  updateConnection(id: string, body: WireUpdateRequest): Promise<Connection>;
  deleteConnection(id: string, environmentId: string): Promise<void>;
}

const CONNECTIONS_COLLECTION = "/networking/v1/private-link-attachment-connections";

function endpointIdOf(body: WireCreateRequest): string {
  const cloud = (body?.spec?.cloud ?? {}) as Record<string, unknown>;
  const id = CLOUDS.map((row) => cloud[row.wireField]).find((value) => typeof value === "string");
  return typeof id === "string" ? id : "unknown endpoint";
}

export function connectionClient(transport: Transport): ConfluentClient {
  const api = resourceClient(transport, { noun: "private link attachment connection", word: "connection", collection: CONNECTIONS_COLLECTION, read: connectionFromWire });
  return {
    async listConnections(q) {
      requireId("environmentId", q.environmentId);
      const subject = q.privateLinkAttachmentId ? `${q.privateLinkAttachmentId} in ${q.environmentId}` : q.environmentId;
      return api.list({ environment: q.environmentId, "spec.private_link_attachment": q.privateLinkAttachmentId }, subject, q.pageSize);
    },
    async getConnection(id, environmentId) {
      requireId("connection id", id);
      requireId("environmentId", environmentId);
      return api.get(id, environmentId);
    },
    async createConnection(body) {
      const answer = await api.create(body, `${endpointIdOf(body)} in ${body?.spec?.private_link_attachment?.id ?? "unknown attachment"}`);
      return { status: answer.status, connection: answer.item, ...(answer.location ? { location: answer.location } : {}) };
    },
    async updateConnection(id, body) {
      requireId("connection id", id);
      return api.update(id, body, `${id} in ${body?.spec?.environment?.id ?? "unknown environment"}`);
    },
    async deleteConnection(id, environmentId) {
      requireId("connection id", id);
      requireId("environmentId", environmentId);
      return api.remove(id, environmentId);
    },
  };
}

/** A client with its own transport (tests, benchmarks). */
export function createClient(options: ClientOptions): ConfluentClient {
  return connectionClient(openTransport(options));
}
