// The API's five operations on a collection of the networking/v1 API, for any resource kind: list (every page), read,
// create, update, delete, each a request (request.ts) whose answer the kind's reader turns into typed items (body.ts).
//
// Security: credentials live in the Authorizer (auth.ts) and the axios configs of the attempts, never on a client
// object or in an error; every message is scrubbed of the credential values in case a server echoes them.
//
// A transport is made per provider operation, bound to its deadline, never stored on the provider object.
import type { Settings } from "../credentials/credentials";
import type { Deadline } from "../deadline";
import { header } from "./answer";
import { Authorizer } from "./auth";
import { readItem, readItemPage, type Item, type Reading } from "./body";
import { USER_AGENT } from "./http";
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

const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 8;
const DEFAULT_PAGE_SIZE = 100;

export function openTransport(options: ClientOptions): Transport {
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
    userAgent: options.userAgent ?? USER_AGENT,
  };
}

/** A collection of the API and how its objects are read. */
export interface ResourceType<S> extends Reading<S> {
  /** As messages name one, e.g. "private link attachment". */
  noun: string;
  /** e.g. "/networking/v1/private-link-attachments". */
  collection: string;
}

interface CreateAnswer<S> {
  status: number;
  item: Item<S>;
  location?: string;
}

export interface ResourceClient<S> {
  /** Follows every page. `subject` names what is listed, for messages. */
  list(filters: Record<string, string | undefined>, subject: string, pageSize?: number): Promise<Array<Item<S>>>;
  get(id: string, environmentId: string): Promise<Item<S>>;
  create(body: unknown, subject: string): Promise<CreateAnswer<S>>;
  update(id: string, body: unknown, subject: string): Promise<Item<S>>;
  remove(id: string, environmentId: string): Promise<void>;
}

export function requireId(what: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${what} is required`);
}

function jsonBody(body: unknown): { data: string; headers: Record<string, string> } {
  return { data: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
}

function query(pairs: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(pairs)) if (value !== undefined) params.set(key, value);
  return params.toString();
}

export function resourceClient<S>(transport: Transport, type: ResourceType<S>): ResourceClient<S> {
  const itemPath = (id: string): string => `${type.collection}/${encodeURIComponent(id)}`;
  const request = (operation: "list" | "read" | "create" | "update" | "delete", subject: string, id?: string): ApiRequest =>
    new ApiRequest(transport, operation, subject, id, type.noun);
  return {
    async list(filters, subject, pageSize = DEFAULT_PAGE_SIZE) {
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new RangeError(`pageSize must be an integer in 1..100, got ${pageSize}`);
      return readAllPages<Item<S>>({
        endpoint: transport.endpoint,
        async fetch(token) {
          const req = request("list", subject);
          const search = query({ ...filters, page_size: String(pageSize), page_token: token });
          return readItemPage(req, await req.send({ method: "get", url: `${type.collection}?${search}` }), type);
        },
        fail: (summary, code) => request("list", subject).fail({ summary, code }),
      });
    },

    async get(id, environmentId) {
      const req = request("read", `${id} in ${environmentId}`, id);
      return readItem(req, await req.send({ method: "get", url: `${itemPath(id)}?${query({ environment: environmentId })}` }), type);
    },

    async create(body, subject) {
      const req = request("create", subject);
      const response = await req.send({ method: "post", url: type.collection, ...jsonBody(body) });
      const location = header(response.headers, "location");
      return { status: response.status, item: readItem(req, response, type), ...(location ? { location } : {}) };
    },

    async update(id, body, subject) {
      const req = request("update", subject, id);
      return readItem(req, await req.send({ method: "patch", url: itemPath(id), ...jsonBody(body) }), type);
    },

    async remove(id, environmentId) {
      const req = request("delete", `${id} in ${environmentId}`, id);
      await req.send({ method: "delete", url: `${itemPath(id)}?${query({ environment: environmentId })}` });
    },
  };
}
