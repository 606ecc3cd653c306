// HTTP client for the Confluent Cloud networking/v1 private link attachment connection endpoints: the five
// operations, each a request (request.ts) whose answer is read into typed connections (body.ts).
//
// Security: credentials live in the Authorizer (auth.ts) and the axios configs of the attempts, never on the client
// object or in an error; every message is scrubbed of the credential values in case a server echoes them.
//
// A client is made per operation, bound to its deadline (provider.ts), never stored on the provider object.
import axios from "axios";
import type { Settings } from "../credentials";
import type { Deadline } from "../deadline";
import { CLOUDS, type Connection } from "../model";
import type { WireCreateRequest, WireUpdateRequest } from "../wire";
import { header } from "./answer";
import { Authorizer } from "./auth";
import { readConnection, readConnectionPage } from "./body";
import { readAllPages } from "./pages";
import { ApiRequest, type Transport } from "./request";
import type { ServerClock } from "./server-clock";
import { throttleFor, type Throttle } from "./throttle";

export interface ClientOptions {
  settings: Settings;
  /**
   * Bounds every request: throttle waits, attempts and retry delays (in real time). A retry whose delay would end
   * after it is not attempted: the request fails at once with DEADLINE_EXCEEDED.
   */
  deadline?: Deadline;
  /** Per attempt (default 30 s). */
  attemptTimeoutMs?: number;
  /** Retries after the first attempt (default 8). */
  maxRetries?: number;
  random?: () => number;
  log?: (line: string) => void;
  userAgent?: string;
  /** Defaults to the process-wide throttle of the endpoint's origin. */
  throttle?: Throttle;
  /** Told the Date header of every answer (for a caller that compares the server's timestamps with its own moments). */
  serverClock?: ServerClock;
  /** Time source of OAuth token renewal (default Date.now), used when the process first needs these settings. */
  now?: () => number;
}

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

const COLLECTION = "/networking/v1/private-link-attachment-connections";
const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 8;
const DEFAULT_PAGE_SIZE = 100;

function transportOf(options: ClientOptions): Transport {
  const { settings } = options;
  return {
    endpoint: settings.endpoint,
    authorizer: new Authorizer(settings, options.now),
    throttle: options.throttle ?? throttleFor(settings.endpoint),
    serverClock: options.serverClock,
    deadline: options.deadline,
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    random: options.random ?? Math.random,
    log: options.log ?? ((): void => undefined),
    userAgent: options.userAgent ?? `pulumi-confluent-plattc axios/${axios.VERSION}`,
  };
}

function requireId(what: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${what} is required`);
}

function endpointIdOf(body: WireCreateRequest): string {
  const cloud = (body?.spec?.cloud ?? {}) as Record<string, unknown>;
  const id = CLOUDS.map((row) => cloud[row.wireField]).find((value) => typeof value === "string");
  return typeof id === "string" ? id : "unknown endpoint";
}

function jsonBody(body: unknown): { data: string; headers: Record<string, string> } {
  return { data: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
}

function itemPath(id: string): string {
  return `${COLLECTION}/${encodeURIComponent(id)}`;
}

function query(pairs: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(pairs)) if (value !== undefined) params.set(key, value);
  return params.toString();
}

function listConnections(transport: Transport, q: ListQuery): Promise<Connection[]> {
  requireId("environmentId", q.environmentId);
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new RangeError(`pageSize must be an integer in 1..100, got ${pageSize}`);
  const subject = q.privateLinkAttachmentId ? `${q.privateLinkAttachmentId} in ${q.environmentId}` : q.environmentId;
  return readAllPages<Connection>({
    endpoint: transport.endpoint,
    async fetch(token) {
      const request = new ApiRequest(transport, "list", subject);
      const search = query({ environment: q.environmentId, "spec.private_link_attachment": q.privateLinkAttachmentId, page_size: String(pageSize), page_token: token });
      return readConnectionPage(request, await request.send({ method: "get", url: `${COLLECTION}?${search}` }));
    },
    fail: (summary, code) => new ApiRequest(transport, "list", subject).fail({ summary, code }),
  });
}

export function createClient(options: ClientOptions): ConfluentClient {
  const transport = transportOf(options);
  return {
    async listConnections(q) {
      return listConnections(transport, q);
    },

    async getConnection(id, environmentId) {
      requireId("connection id", id);
      requireId("environmentId", environmentId);
      const request = new ApiRequest(transport, "read", `${id} in ${environmentId}`, id);
      return readConnection(request, await request.send({ method: "get", url: `${itemPath(id)}?${query({ environment: environmentId })}` }));
    },

    async createConnection(body) {
      const request = new ApiRequest(transport, "create", `${endpointIdOf(body)} in ${body?.spec?.private_link_attachment?.id ?? "unknown attachment"}`);
      const response = await request.send({ method: "post", url: COLLECTION, ...jsonBody(body) });
      const location = header(response.headers, "location");
      return { status: response.status, connection: readConnection(request, response), ...(location ? { location } : {}) };
    },

    async updateConnection(id, body) {
      requireId("connection id", id);
      const request = new ApiRequest(transport, "update", `${id} in ${body?.spec?.environment?.id ?? "unknown environment"}`, id);
      return readConnection(request, await request.send({ method: "patch", url: itemPath(id), ...jsonBody(body) }));
    },

    async deleteConnection(id, environmentId) {
      requireId("connection id", id);
      requireId("environmentId", environmentId);
      const request = new ApiRequest(transport, "delete", `${id} in ${environmentId}`, id);
      await request.send({ method: "delete", url: `${itemPath(id)}?${query({ environment: environmentId })}` });
    },
  };
}
