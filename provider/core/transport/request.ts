// One logical request to the API and the life of its attempts: authorization and a throttle permit before each,
// the permit handed back after each, axios-retry's retries as this policy decides them (retry.ts), once more after
// an OAuth token the API refused, and the ApiError that tells how it ended.
//
// Each request has its own axios instance, whose interceptors and axios-retry hooks are this object's methods: what
// one attempt learns is kept here for the next one and for the error.
import axios, { type AxiosError, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import type { Deadline } from "../deadline";
import { OAuthError } from "./token-request";
import { createHttp } from "./http";
import { errorBodyInfo, header, rawResponseOf, statusLine, type ErrorBodyInfo } from "./answer";
import { ApiError, CONNECTION_NOUN, requestHead, type ApiErrorFields, type Operation } from "./api-error";
import type { Authorizer } from "./auth";
import { classifyFailure, isOversizedResponse, mayHaveBeenApplied, retryDelayMs, shouldRetry } from "./retry";
import type { ServerClock } from "./server-clock";
import type { Throttle } from "./throttle";

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const THROTTLE_LOG_THRESHOLD_MS = 2000;

/** What every request of one client shares. */
export interface Transport {
  endpoint: string;
  authorizer: Authorizer;
  throttle: Throttle;
  /** Learns the server's clock from every answer's Date header, when the caller needs it. */
  serverClock: ServerClock | undefined;
  /** Bounds throttle waits, attempts and retry delays; a retry that would start after it is not made. */
  deadline: Deadline | undefined;
  attemptTimeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  random: () => number;
  log: (line: string) => void;
  userAgent: string;
}

/** An ApiError's fields that the request does not know itself. */
export type Failure = Omit<ApiErrorFields, "operation" | "subject" | "connectionId" | "resource" | "resourceId">;

export class ApiRequest {
  readonly operation: Operation;
  readonly subject: string;
  readonly resourceId: string | undefined;
  /** The kind the request is about, as messages name it. */
  readonly noun: string;
  private readonly transport: Transport;
  /** Made on the first send: an ApiRequest that only builds an error needs none. */
  private http: AxiosInstance | undefined;
  private attempts: number;
  private holdsPermit: boolean;
  private mayHaveApplied: boolean;
  private plannedDelayMs: number;
  /** A retry was not made because it would have started after the deadline. */
  private cutShortByDeadline: boolean;
  private lastFailure: string | undefined;
  /** The generation of the OAuth token the last attempt sent. */
  private tokenGeneration: number;
  private renewedAfter401: boolean;

  constructor(transport: Transport, operation: Operation, subject: string, resourceId?: string, noun: string = CONNECTION_NOUN) {
    this.operation = operation;
    this.subject = subject;
    this.resourceId = resourceId;
    this.noun = noun;
    this.transport = transport;
    this.attempts = 0;
    this.holdsPermit = false;
    this.mayHaveApplied = false;
    this.plannedDelayMs = 0;
    this.cutShortByDeadline = false;
    this.lastFailure = undefined;
    this.tokenGeneration = 0;
    this.renewedAfter401 = false;
    this.http = undefined;
  }

  isMutation(): boolean {
    return this.operation === "create" || this.operation === "update" || this.operation === "delete";
  }

  /** Every attempt it takes, until an answer with a 2xx status; anything else ends in an ApiError. */
  async send(config: AxiosRequestConfig): Promise<AxiosResponse<string>> {
    const signal = this.transport.deadline?.signal;
    if (signal?.aborted) throw this.failure(signal.reason);
    const request: AxiosRequestConfig = { ...config, signal };
    const http = (this.http ??= this.createHttp());
    try {
      return await http.request<string>(request);
    } catch (error) {
      if (!this.renewsRefusedToken(error)) throw this.failure(error);
    }
    try {
      return await http.request<string>({ ...request });
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** An ApiError about this request; ambiguous unless said otherwise when a mutation may have been applied. */
  fail(failure: Failure): ApiError {
    return new ApiError({
      ...failure,
      operation: this.operation,
      subject: this.subject,
      resource: this.noun === CONNECTION_NOUN ? undefined : this.noun,
      resourceId: this.resourceId,
      connectionId: this.noun === CONNECTION_NOUN ? this.resourceId : undefined,
      ambiguous: failure.ambiguous ?? (this.mayHaveApplied && this.isMutation()),
      redact: (text) => this.redact(text),
    });
  }

  redact(text: string): string {
    return this.transport.authorizer.redact(text);
  }

  quotesSecret(text: string): boolean {
    return this.transport.authorizer.quotesSecret(text);
  }

  private head(): string {
    return requestHead(this.operation, this.subject, this.noun);
  }

  private createHttp(): AxiosInstance {
    const { endpoint, attemptTimeoutMs, userAgent, maxRetries } = this.transport;
    return createHttp({
      baseURL: endpoint,
      attemptTimeoutMs,
      maxBodyBytes: MAX_BODY_BYTES,
      maxRetries,
      userAgent,
      beforeAttempt: (attempt) => this.beforeAttempt(attempt),
      answered: (response) => this.answered(response),
      failed: (error) => this.attemptFailed(error),
      mayRetry: (error) => this.mayRetry(error),
      retryDelay: () => this.plannedDelayMs,
      onRetry: (retryCount) => this.reportRetry(retryCount),
    });
  }

  private async beforeAttempt(attempt: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
    const { authorizer, throttle, deadline, log } = this.transport;
    // Before the throttle: a failed renewal holds no permit. Its OAuthError reaches failure() as it is.
    this.tokenGeneration = await authorizer.authorize(attempt.headers, deadline?.signal, log);
    const waitStart = Date.now();
    await throttle.acquire(deadline?.signal);
    const waited = Date.now() - waitStart;
    if (waited >= THROTTLE_LOG_THRESHOLD_MS) log(`${this.head()}: waited ${(waited / 1000).toFixed(1)}s for the API rate limit`);
    this.holdsPermit = true;
    this.attempts += 1;
    return attempt;
  }

  private answered(response: AxiosResponse): AxiosResponse {
    this.releasePermit(response);
    this.transport.serverClock?.observe(header(response.headers, "date"));
    return response;
  }

  private attemptFailed(error: unknown): void {
    if (axios.isAxiosError(error)) {
      const kind = classifyFailure(error);
      // Aborted while the request was out: it may have reached the server.
      if (mayHaveBeenApplied(error) || (kind === "canceled" && this.holdsPermit)) this.mayHaveApplied = true;
      if (kind !== "canceled") this.lastFailure = this.redact(this.describeAttempt(error));
      this.releasePermit(error.response);
      if (error.response) this.transport.serverClock?.observe(header(error.response.headers, "date"));
    }
  }

  /** Frees the throttle permit of the attempt that just ended, teaching the throttle the response headers if any. */
  private releasePermit(response: AxiosResponse | undefined): void {
    if (!this.holdsPermit) return;
    this.holdsPermit = false;
    if (response) this.transport.throttle.observe(response.headers, response.status);
    else this.transport.throttle.release();
  }

  /** axios-retry's retryCondition: the policy allows another attempt and it would start before the deadline. */
  private mayRetry(error: AxiosError): boolean {
    const { deadline } = this.transport;
    if (deadline?.signal.aborted || !shouldRetry(error.config?.method, error)) return false;
    this.plannedDelayMs = this.retryDelay(error);
    if (deadline?.arrivesWithin(this.plannedDelayMs)) {
      this.cutShortByDeadline = true;
      return false;
    }
    return true;
  }

  private retryDelay(error: AxiosError): number {
    const response = error.response;
    return retryDelayMs({
      attempt: (error.config?.["axios-retry"]?.retryCount ?? 0) + 1,
      retryAfter: header(response?.headers, "retry-after"),
      // X-RateLimit-Reset describes the rate window; it says when to retry only on a 429. (Successes and other
      // errors may carry it too, and must not turn a 503 retry into a wait for the window end.)
      rateLimitReset: response?.status === 429 ? header(response.headers, "x-ratelimit-reset") : undefined,
      random: this.transport.random,
    });
  }

  private reportRetry(retryCount: number): void {
    const { log, maxRetries } = this.transport;
    log(`${this.head()}: ${this.lastFailure ?? "failed"}; retry ${retryCount}/${maxRetries} in ${(this.plannedDelayMs / 1000).toFixed(1)}s`);
  }

  /**
   * A 401 to an OAuth token that was not due for renewal (revoked, or the server's clock is ahead): true once, after
   * dropping the token so the request goes again with a new one. Nothing was applied, so even a POST may.
   */
  private renewsRefusedToken(error: unknown): boolean {
    const { authorizer, log } = this.transport;
    if (!authorizer.usesOAuth() || this.renewedAfter401 || !axios.isAxiosError(error) || error.response?.status !== 401) return false;
    this.renewedAfter401 = true;
    authorizer.refused(this.tokenGeneration);
    log(`${this.head()}: HTTP 401 with an OAuth token that was not due for renewal; renewing it and retrying once`);
    return true;
  }

  /** What ended the request, as an ApiError. */
  private failure(error: unknown): ApiError {
    const signal = this.transport.deadline?.signal;
    if (signal?.aborted) return this.stopped(signal.reason);
    if (error instanceof OAuthError) {
      return this.fail({ summary: `no Confluent Cloud token (from ${this.transport.authorizer.source ?? "OAuth"}): ${error.message}`, code: error.code });
    }
    if (!axios.isAxiosError(error)) return this.fail({ summary: error instanceof Error ? error.message : String(error) });
    return error.response ? this.refused(error, error.response) : this.unanswered(error);
  }

  /** The deadline came, or the caller cancelled. */
  private stopped(reason: unknown): ApiError {
    const timedOut = (reason instanceof Error && reason.name === "TimeoutError") || this.transport.deadline?.arrivesWithin(0) === true;
    return this.fail({
      summary: timedOut ? "deadline exceeded" : `canceled (${reason instanceof Error ? reason.message : String(reason)})`,
      attempts: this.attempts,
      notes: this.lastFailure ? [`last error: ${this.lastFailure}`] : [],
      code: timedOut ? "DEADLINE_EXCEEDED" : "CANCELED",
    });
  }

  /** No usable answer: the connection failed, the attempt timed out, or the body was too large. */
  private unanswered(error: AxiosError): ApiError {
    const raw = isOversizedResponse(error) ? rawResponseOf(error) : undefined;
    const notes = this.mayHaveApplied && this.isMutation() ? ["the request may have been applied"] : [];
    return this.fail({
      summary: this.describeAttempt(error),
      attempts: this.attempts,
      notes: [...notes, ...this.cutShortNote()],
      status: raw?.status,
      code: this.cutShortByDeadline ? "DEADLINE_EXCEEDED" : raw ? "RESPONSE_TOO_LARGE" : error.code,
      requestId: raw?.requestId,
    });
  }

  /** An answer with an error status. */
  private refused(error: AxiosError, response: AxiosResponse): ApiError {
    const info = this.errorBodyOf(response);
    return this.fail({
      summary: this.describeAttempt(error),
      attempts: this.attempts,
      notes: [...this.credentialsHint(response.status), ...this.cutShortNote()],
      status: response.status,
      code: this.cutShortByDeadline ? "DEADLINE_EXCEEDED" : info.code,
      detail: info.detail,
      requestId: header(response.headers, "x-request-id"),
      location: header(response.headers, "location"),
    });
  }

  private credentialsHint(status: number): string[] {
    const { source } = this.transport.authorizer;
    if (status !== 401) return [];
    if (this.transport.authorizer.usesOAuth() && this.renewedAfter401) {
      return [`refused again with a renewed OAuth token: check the identity pool's filter and role bindings (from ${source})`];
    }
    return source ? [`check the Confluent Cloud credentials (from ${source})`] : [];
  }

  private cutShortNote(): string[] {
    if (!this.cutShortByDeadline) return [];
    return [`not retried: the next attempt (in ${(this.plannedDelayMs / 1000).toFixed(1)}s) would start after the deadline`];
  }

  private describeAttempt(error: AxiosError): string {
    if (isOversizedResponse(error)) {
      const raw = rawResponseOf(error);
      const status = raw?.status !== undefined ? `${statusLine(raw.status, raw.statusText)} but ` : "";
      const rid = raw?.requestId ? ` (request id ${raw.requestId})` : "";
      return `${status}the response body is larger than the client's limit of ${MAX_BODY_BYTES / (1024 * 1024)} MiB${rid}`;
    }
    const response = error.response;
    if (response) {
      const requestId = header(response.headers, "x-request-id");
      const info = this.errorBodyOf(response);
      const what = info.detail ?? (info.note ? `(${info.note})` : undefined);
      return `${statusLine(response.status, response.statusText)}${what ? `: ${what}` : ""}${requestId ? ` (request id ${requestId})` : ""}`;
    }
    const kind = classifyFailure(error);
    const label = kind === "timeout" ? "timed out" : kind === "connect" ? "could not connect" : "connection failed";
    return `${label} (${error.code ?? "no code"}: ${error.message})`;
  }

  // Bodies are redacted BEFORE they are shortened for a message: a cut through a secret would leave a piece of it
  // that redacting the message afterwards no longer recognises.
  private errorBodyOf(response: AxiosResponse): ErrorBodyInfo {
    return errorBodyInfo(typeof response.data === "string" ? this.redact(response.data) : response.data, header(response.headers, "content-type"));
  }
}
