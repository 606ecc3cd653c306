// HTTP client for the Confluent Cloud networking/v1 private link attachment connection endpoints.
//
// One axios instance per client. Retries are axios-retry's, with our policy (retry.ts) as `retryCondition`
// and `retryDelay`; the process-wide throttle (throttle.ts) is acquired in a request interceptor and fed in a
// response interceptor, so every attempt, retries included, is paced and observed.
//
// Security: the Authorization header lives only in axios request configs. Those (and axios errors, which
// embed them) never leave this module: failures become ApiError objects built from plain strings, and every
// message is scrubbed of the credential values in case a server echoes them.
//
// Create a client inside provider methods (per operation), never store one on the provider object: the
// provider is serialized into Pulumi state.

import axios, { type AxiosError, type AxiosRequestConfig, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import axiosRetry from "axios-retry";
import { ApiError, errorBodyInfo, header, isJsonType, rawResponseOf, shorten, statusLine, type ApiErrorInit, type ErrorBodyInfo, type Operation } from "./api-error";
import type { Credentials, Settings } from "../credentials";
import { OAuthError } from "../oauth-http";
import { oauthTokensFor, type OAuthTokenSource } from "../oauth";
import { classifyFailure, isOversizedResponse, mayHaveBeenApplied, retryDelayMs, shouldRetry } from "./retry";
import { type Throttle, throttleFor } from "./throttle";
import type { WireCreateRequest, WireUpdateRequest } from "../wire";

export { ApiError, type ApiErrorInit, type Operation } from "./api-error";

export interface ClientOptions {
  settings: Settings;
  /** Overall deadline / cancellation: bounds throttle waits, attempts and retry delays. */
  signal?: AbortSignal;
  /**
   * The same deadline as an epoch-ms instant (an AbortSignal cannot tell when it will fire). When given, a
   * retry whose delay would end after it is not attempted: the call fails at once with DEADLINE_EXCEEDED.
   */
  deadline?: number;
  /** Per attempt (default 30 s). */
  attemptTimeoutMs?: number;
  /** Retries after the first attempt (default 8). */
  maxRetries?: number;
  random?: () => number;
  log?: (line: string) => void;
  userAgent?: string;
  /** Defaults to the process-wide throttle of the endpoint's origin. */
  throttle?: Throttle;
  /**
   * Checks each connection object the API returns (read, create, update, and every list item) and throws when it
   * cannot be used. The client turns that into an INVALID_RESPONSE ApiError naming the operation, the connection,
   * the HTTP status and the request id, which the reader (model.ts, above this module) cannot know.
   */
  validateConnection?: (body: unknown) => void;
  /** Time source of OAuth token renewal (default Date.now), used when the process first needs these settings. */
  now?: () => number;
}

export interface CreateResult {
  status: number;
  body: unknown;
  location?: string;
}

export interface ConfluentClient {
  /** Follows every page. */
  listConnections(q: { environmentId: string; privateLinkAttachmentId?: string; pageSize?: number }): Promise<unknown[]>;
  getConnection(id: string, environmentId: string): Promise<unknown>;
  createConnection(body: WireCreateRequest): Promise<CreateResult>;
  updateConnection(id: string, body: WireUpdateRequest): Promise<unknown>;
  deleteConnection(id: string, environmentId: string): Promise<void>;
}

const COLLECTION = "/networking/v1/private-link-attachment-connections";
const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 8;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGES = 1000;
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const THROTTLE_LOG_THRESHOLD_MS = 2000;

export const OPERATION_LABELS: Record<Operation, string> = {
  list: "list private link attachment connections",
  read: "read private link attachment connection",
  create: "create private link attachment connection",
  update: "update private link attachment connection",
  delete: "delete private link attachment connection",
};

/** Per logical request (all its attempts); travels on the axios config under CALL_KEY. */
class Call {
  // Set in the constructor, not as field initializers: Pulumi's closure serializer drops those.
  readonly operation: Operation;
  readonly subject: string;
  readonly connectionId: string | undefined;
  attempts: number;
  holdsPermit: boolean;
  mayHaveApplied: boolean;
  plannedDelayMs: number;
  /** A retry was skipped because it would have started after the deadline. */
  cutShortByDeadline: boolean;
  lastFailure: string | undefined;
  /** OAuth: the generation of the token the last attempt sent, and whether a 401 already renewed it once. */
  tokenGeneration: number;
  renewedAfter401: boolean;

  constructor(operation: Operation, subject: string, connectionId: string | undefined) {
    this.operation = operation;
    this.subject = subject;
    this.connectionId = connectionId;
    this.attempts = 0;
    this.holdsPermit = false;
    this.mayHaveApplied = false;
    this.plannedDelayMs = 0;
    this.cutShortByDeadline = false;
    this.lastFailure = undefined;
    this.tokenGeneration = 0;
    this.renewedAfter401 = false;
  }

  isMutation(): boolean {
    return this.operation === "create" || this.operation === "update" || this.operation === "delete";
  }

  head(): string {
    return `${OPERATION_LABELS[this.operation]} (${this.subject})`;
  }
}

const CALL_KEY = "plattcCall";
type WithCall = { [CALL_KEY]?: Call };

function callOf(config: unknown): Call | undefined {
  const call = (config as WithCall | undefined)?.[CALL_KEY];
  return call instanceof Call ? call : undefined;
}

type StaticCredentials = Exclude<Credentials, { kind: "oauth" }>;

function authorizationOf(credentials: StaticCredentials): string {
  return credentials.kind === "basic"
    ? `Basic ${Buffer.from(`${credentials.apiKey}:${credentials.apiSecret}`).toString("base64")}`
    : `Bearer ${credentials.token}`;
}

function secretsOf(credentials: StaticCredentials): string[] {
  const values =
    credentials.kind === "basic"
      ? [credentials.apiSecret, authorizationOf(credentials).slice("Basic ".length)]
      : [credentials.token];
  return values.filter((value) => value.length >= 4);
}

function endpointIdOf(body: WireCreateRequest): string {
  const cloud = (body?.spec?.cloud ?? {}) as Record<string, unknown>;
  for (const key of ["vpc_endpoint_id", "private_endpoint_resource_id", "private_service_connect_connection_id"]) {
    if (typeof cloud[key] === "string") return cloud[key] as string;
  }
  return "unknown endpoint";
}

function requireId(what: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${what} is required`);
}

function combineSignals(signal: AbortSignal | undefined, deadline: number | undefined): AbortSignal | undefined {
  if (deadline === undefined) return signal;
  const timer = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  return signal ? AbortSignal.any([signal, timer]) : timer;
}

export function createClient(options: ClientOptions): ConfluentClient {
  const { settings } = options;
  const throttle = options.throttle ?? throttleFor(settings.endpoint);
  const random = options.random ?? Math.random;
  const log = options.log ?? ((): void => undefined);
  const signal = combineSignals(options.signal, options.deadline);
  const credentials = settings.credentials;
  const oauth: OAuthTokenSource | undefined =
    credentials.kind === "oauth" ? oauthTokensFor(credentials.oauth, settings.endpoint, { now: options.now }) : undefined;
  const fixedAuthorization = credentials.kind === "oauth" ? undefined : authorizationOf(credentials);
  const fixedSecrets = credentials.kind === "oauth" ? [] : secretsOf(credentials);
  // OAuth tokens change while the client lives: scrub the ones current at the time of each message.
  const secretsNow = (): string[] => (oauth ? oauth.secrets() : fixedSecrets);

  const redact = (text: string): string => secretsNow().reduce((out, secret) => out.split(secret).join("[REDACTED]"), text);
  // Bodies are redacted BEFORE they are shortened for a message: a cut through a secret would leave a piece of it
  // that redacting the message afterwards no longer recognises.
  const bodyInfo = (response: AxiosResponse): ErrorBodyInfo =>
    errorBodyInfo(typeof response.data === "string" ? redact(response.data) : response.data, header(response.headers, "content-type"));

  const instance = axios.create({
    baseURL: settings.endpoint,
    timeout: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    maxRedirects: 0,
    allowAbsoluteUrls: false,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    maxContentLength: MAX_BODY_BYTES,
    headers: {
      Accept: "application/json",
      "User-Agent": options.userAgent ?? `pulumi-confluent-plattc axios/${axios.VERSION}`,
    },
  });

  // Frees the throttle slot of the attempt that just ended, teaching it the response headers if any.
  const settle = (call: Call | undefined, response: AxiosResponse | undefined): void => {
    if (!call?.holdsPermit) return;
    call.holdsPermit = false;
    if (response) throttle.observe(response.headers as Record<string, unknown>, response.status);
    else throttle.release();
  };

  const describeAttemptFailure = (error: AxiosError): string => {
    if (isOversizedResponse(error)) {
      const raw = rawResponseOf(error);
      const status = raw?.status !== undefined ? `${statusLine(raw.status, raw.statusText)} but ` : "";
      const rid = raw?.requestId ? ` (request id ${raw.requestId})` : "";
      return `${status}the response body is larger than the client's limit of ${MAX_BODY_BYTES / (1024 * 1024)} MiB${rid}`;
    }
    const response = error.response;
    const requestId = header(response?.headers, "x-request-id");
    const suffix = requestId ? ` (request id ${requestId})` : "";
    if (response) {
      const info = bodyInfo(response);
      const what = info.detail ?? (info.note ? `(${info.note})` : undefined);
      return `${statusLine(response.status, response.statusText)}${what ? `: ${what}` : ""}${suffix}`;
    }
    const kind = classifyFailure(error);
    const label = kind === "timeout" ? "timed out" : kind === "connect" ? "could not connect" : "connection failed";
    return `${label} (${error.code ?? "no code"}: ${error.message})`;
  };

  // Registered before axios-retry: response interceptors run in registration order, so ours sees every
  // attempt (retries re-enter the whole chain) before axios-retry decides about it. The order of the request
  // interceptors does not matter.
  instance.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    const call = callOf(config);
    if (!call) throw new Error("internal: request without call context");
    if (oauth) {
      // Before the throttle: a failed renewal holds no permit. Its OAuthError reaches toApiError as it is.
      const token = await oauth.token(signal, log);
      call.tokenGeneration = token.generation;
      config.headers.set("Authorization", `Bearer ${token.value}`);
    } else {
      config.headers.set("Authorization", fixedAuthorization);
    }
    const waitStart = Date.now();
    await throttle.acquire(signal);
    const waited = Date.now() - waitStart;
    if (waited >= THROTTLE_LOG_THRESHOLD_MS) log(`${call.head()}: waited ${(waited / 1000).toFixed(1)}s for the API rate limit`);
    call.holdsPermit = true;
    call.attempts += 1;
    return config;
  });
  instance.interceptors.response.use(
    (response: AxiosResponse) => {
      settle(callOf(response.config), response);
      return response;
    },
    (error: unknown) => {
      if (axios.isAxiosError(error)) {
        const call = callOf(error.config);
        if (call) {
          const kind = classifyFailure(error);
          // Aborted while the request was out: it may have reached the server.
          if (mayHaveBeenApplied(error) || (kind === "canceled" && call.holdsPermit)) call.mayHaveApplied = true;
          if (kind !== "canceled") call.lastFailure = redact(describeAttemptFailure(error));
          settle(call, error.response);
        }
      }
      return Promise.reject(error);
    },
  );

  axiosRetry(instance, {
    retries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    // Each attempt gets the full attemptTimeoutMs; the overall bound is the signal/deadline.
    shouldResetTimeout: true,
    retryCondition: (error: AxiosError): boolean => {
      const call = callOf(error.config);
      if (!call || signal?.aborted) return false;
      if (!shouldRetry(error.config?.method, error)) return false;
      const response = error.response;
      const delay = retryDelayMs({
        attempt: (error.config?.["axios-retry"]?.retryCount ?? 0) + 1,
        retryAfter: header(response?.headers, "retry-after"),
        // X-RateLimit-Reset describes the rate window; it says when to retry only on a 429. (Successes and
        // other errors may carry it too, and must not turn a 503 retry into a wait for the window end.)
        rateLimitReset: response?.status === 429 ? header(response.headers, "x-ratelimit-reset") : undefined,
        random,
      });
      call.plannedDelayMs = delay;
      if (options.deadline !== undefined && Date.now() + delay >= options.deadline) {
        call.cutShortByDeadline = true;
        return false;
      }
      return true;
    },
    retryDelay: (_retryCount: number, error: AxiosError): number => callOf(error.config)?.plannedDelayMs ?? 0,
    onRetry: (retryCount: number, error: AxiosError): void => {
      const call = callOf(error.config);
      if (!call) return;
      const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
      log(`${call.head()}: ${call.lastFailure ?? "failed"}; retry ${retryCount}/${maxRetries} in ${(call.plannedDelayMs / 1000).toFixed(1)}s`);
    },
  });

  const attemptsNote = (call: Call): string => (call.attempts > 1 ? ` after ${call.attempts} attempts` : "");

  const scrub = (text: string | undefined): string | undefined => (text === undefined ? undefined : redact(text));
  const fail = (call: Call, init: Omit<ApiErrorInit, "operation" | "connectionId">): ApiError =>
    new ApiError({
      message: redact(init.message),
      status: init.status,
      code: scrub(init.code),
      detail: scrub(init.detail),
      requestId: scrub(init.requestId),
      location: scrub(init.location),
      operation: call.operation,
      connectionId: call.connectionId,
      ambiguous: init.ambiguous ?? (call.mayHaveApplied && call.isMutation()),
    });

  const toApiError = (call: Call, error: unknown): ApiError => {
    if (signal?.aborted) {
      const reason: unknown = signal.reason;
      const timedOut =
        (reason instanceof Error && reason.name === "TimeoutError") || (options.deadline !== undefined && Date.now() >= options.deadline);
      const what = timedOut ? "deadline exceeded" : `canceled (${reason instanceof Error ? reason.message : String(reason)})`;
      const last = call.lastFailure ? `; last error: ${call.lastFailure}` : "";
      return fail(call, { message: `${call.head()}: ${what}${attemptsNote(call)}${last}`, code: timedOut ? "DEADLINE_EXCEEDED" : "CANCELED" });
    }
    if (error instanceof OAuthError) {
      return fail(call, { message: `${call.head()}: no Confluent Cloud token (from ${settings.source ?? "OAuth"}): ${error.message}`, code: error.code });
    }
    if (!axios.isAxiosError(error)) {
      const message = error instanceof Error ? error.message : String(error);
      return fail(call, { message: `${call.head()}: ${message}` });
    }
    const response = error.response;
    const requestId = header(response?.headers, "x-request-id");
    const cutShort = call.cutShortByDeadline
      ? `; not retried: the next attempt (in ${(call.plannedDelayMs / 1000).toFixed(1)}s) would start after the deadline`
      : "";
    if (!response) {
      const ambiguousNote = call.mayHaveApplied && call.isMutation() ? "; the request may have been applied" : "";
      const raw = isOversizedResponse(error) ? rawResponseOf(error) : undefined;
      return fail(call, {
        message: `${call.head()}: ${describeAttemptFailure(error)}${attemptsNote(call)}${ambiguousNote}${cutShort}`,
        status: raw?.status,
        code: call.cutShortByDeadline ? "DEADLINE_EXCEEDED" : raw ? "RESPONSE_TOO_LARGE" : error.code,
        requestId: requestId ?? raw?.requestId,
      });
    }
    const info = bodyInfo(response);
    let hint = "";
    if (response.status === 401 && oauth && call.renewedAfter401) {
      hint = `; refused again with a renewed OAuth token: check the identity pool's filter and role bindings (from ${settings.source})`;
    } else if (response.status === 401 && settings.source) hint = `; check the Confluent Cloud credentials (from ${settings.source})`;
    return fail(call, {
      message: `${call.head()}: ${describeAttemptFailure(error)}${attemptsNote(call)}${hint}${cutShort}`,
      status: response.status,
      code: call.cutShortByDeadline ? "DEADLINE_EXCEEDED" : info.code,
      detail: info.detail,
      requestId,
      location: header(response.headers, "location"),
    });
  };

  const send = async (call: Call, config: AxiosRequestConfig): Promise<AxiosResponse<string>> => {
    if (signal?.aborted) throw toApiError(call, signal.reason);
    const withCall: AxiosRequestConfig & WithCall = { ...config, signal, [CALL_KEY]: call };
    try {
      return await instance.request<string>(withCall);
    } catch (error) {
      // A 401 although the token was not due (revoked, or the server's clock is ahead): renew once and retry.
      // Nothing was applied, so even a POST may go again.
      if (!oauth || call.renewedAfter401 || !axios.isAxiosError(error) || error.response?.status !== 401) throw toApiError(call, error);
      call.renewedAfter401 = true;
      oauth.refused(call.tokenGeneration);
      log(`${call.head()}: HTTP 401 with an OAuth token that was not due for renewal; renewing it and retrying once`);
    }
    try {
      return await instance.request<string>({ ...withCall });
    } catch (error) {
      throw toApiError(call, error);
    }
  };

  /** A 2xx whose body cannot be used: names the operation, the connection, the status and the request id. */
  const invalidResponse = (call: Call, response: AxiosResponse<string>, why: string): ApiError => {
    const requestId = header(response.headers, "x-request-id");
    const rid = requestId ? ` (request id ${requestId})` : "";
    return fail(call, {
      message: `${call.head()}: ${statusLine(response.status, response.statusText)} but ${why}${rid}`,
      status: response.status,
      code: "INVALID_RESPONSE",
      requestId,
      // A 2xx to a mutation was applied even if we cannot read its body.
      ambiguous: call.isMutation(),
      location: header(response.headers, "location"),
    });
  };

  const parseJson = (call: Call, response: AxiosResponse<string>): unknown => {
    const contentType = header(response.headers, "content-type");
    const text = typeof response.data === "string" ? response.data : "";
    const invalid = (why: string): ApiError => invalidResponse(call, response, why);
    if (!isJsonType(contentType)) throw invalid(`the body is ${shorten(contentType ?? "", 80)}, not JSON`);
    if (text.trim() === "") throw invalid("the body is empty where JSON was expected");
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalid(`the body is not valid JSON: ${shorten(redact(text), 120)}`);
    }
  };

  const checkConnection = (call: Call, response: AxiosResponse<string>, body: unknown, where = "the body"): void => {
    if (!options.validateConnection) return;
    try {
      options.validateConnection(body);
    } catch (e) {
      // The reader quotes (shortened) values of the body: withheld when the body holds a credential.
      const raw = typeof response.data === "string" ? response.data : "";
      const why = secretsNow().some((secret) => raw.includes(secret)) ? "(details withheld: the body quotes the credentials)" : e instanceof Error ? e.message : String(e);
      throw invalidResponse(call, response, `${where} is not a usable connection: ${why}`);
    }
  };

  /** parseJson + validateConnection, for the endpoints answering one connection. */
  const connectionOf = (call: Call, response: AxiosResponse<string>): unknown => {
    const body = parseJson(call, response);
    checkConnection(call, response, body);
    return body;
  };

  const itemPath = (id: string): string => `${COLLECTION}/${encodeURIComponent(id)}`;
  const query = (pairs: Record<string, string | undefined>): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(pairs)) if (value !== undefined) params.set(key, value);
    return params.toString();
  };

  const pageTokenOf = (call: Call, next: string): string => {
    let url: URL;
    try {
      // Only the token is taken from the link: its host may differ from (or be) api.confluent.cloud, and
      // requests must keep going to the configured endpoint with the original filters.
      url = new URL(next, `${settings.endpoint}/`);
    } catch {
      throw fail(call, { message: `${call.head()}: the next-page link is not a URL: ${shorten(next, 120)}`, code: "INVALID_RESPONSE" });
    }
    const token = url.searchParams.get("page_token");
    if (!token) throw fail(call, { message: `${call.head()}: the next-page link has no page_token: ${shorten(next, 120)}`, code: "INVALID_RESPONSE" });
    return token;
  };

  const readPage = (call: Call, response: AxiosResponse<string>): { data: unknown[]; next?: string } => {
    const page = parseJson(call, response) as { data?: unknown; metadata?: { next?: unknown } } | null;
    if (!page || typeof page !== "object" || !Array.isArray(page.data)) throw invalidResponse(call, response, 'the list response has no "data" array');
    page.data.forEach((item, index) => checkConnection(call, response, item, `data[${index}]`));
    const next = page.metadata && typeof page.metadata === "object" ? page.metadata.next : undefined;
    if (next === undefined || next === null || next === "") return { data: page.data };
    if (typeof next !== "string") throw invalidResponse(call, response, "metadata.next is not a string");
    return { data: page.data, next };
  };

  return {
    async listConnections(q) {
      requireId("environmentId", q.environmentId);
      const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new RangeError(`pageSize must be an integer in 1..100, got ${pageSize}`);
      const subject = q.privateLinkAttachmentId ? `${q.privateLinkAttachmentId} in ${q.environmentId}` : q.environmentId;
      const items: unknown[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      for (let page = 1; ; page += 1) {
        const call = new Call("list", subject, undefined);
        if (page > MAX_PAGES) throw fail(call, { message: `${call.head()}: more than ${MAX_PAGES} pages; stopping`, code: "PAGING_LOOP" });
        const search = query({
          environment: q.environmentId,
          "spec.private_link_attachment": q.privateLinkAttachmentId,
          page_size: String(pageSize),
          page_token: token,
        });
        const response = await send(call, { method: "get", url: `${COLLECTION}?${search}` });
        const { data, next } = readPage(call, response);
        items.push(...data);
        if (next === undefined) return items;
        token = pageTokenOf(call, next);
        if (seen.has(token)) {
          throw fail(call, {
            message: `${call.head()}: the server repeated page token ${shorten(token, 40)} (page ${page}); stopping instead of looping`,
            code: "PAGING_LOOP",
          });
        }
        seen.add(token);
      }
    },

    async getConnection(id, environmentId) {
      requireId("connection id", id);
      requireId("environmentId", environmentId);
      const call = new Call("read", `${id} in ${environmentId}`, id);
      const response = await send(call, { method: "get", url: `${itemPath(id)}?${query({ environment: environmentId })}` });
      return connectionOf(call, response);
    },

    async createConnection(body) {
      const call = new Call("create", `${endpointIdOf(body)} in ${body?.spec?.private_link_attachment?.id ?? "unknown attachment"}`, undefined);
      const response = await send(call, {
        method: "post",
        url: COLLECTION,
        data: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
      const location = header(response.headers, "location");
      return { status: response.status, body: connectionOf(call, response), ...(location ? { location } : {}) };
    },

    async updateConnection(id, body) {
      requireId("connection id", id);
      const call = new Call("update", `${id} in ${body?.spec?.environment?.id ?? "unknown environment"}`, id);
      const response = await send(call, {
        method: "patch",
        url: itemPath(id),
        data: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
      return connectionOf(call, response);
    },

    async deleteConnection(id, environmentId) {
      requireId("connection id", id);
      requireId("environmentId", environmentId);
      const call = new Call("delete", `${id} in ${environmentId}`, id);
      await send(call, { method: "delete", url: `${itemPath(id)}?${query({ environment: environmentId })}` });
    },
  };
}
