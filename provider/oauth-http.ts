// The two token requests of OAuth through an identity pool, over axios with axios-retry: the client-credentials
// grant at the identity provider and the token exchange at Confluent's STS. Both are retried like an idempotent API
// call (429, 5xx except 501, connect errors, timeouts, broken connections; Retry-After honoured): asking for a token
// twice does no harm. Failures become OAuthError naming the step, the URL (origin and path only), the HTTP status
// and the provider's own words, scrubbed of every secret the request carried.
import axios, { type AxiosError, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import axiosRetry from "axios-retry";
import { header, isJsonType, shorten, statusLine } from "./http/answer";
import { displayUrl } from "./oauth-config";
import { classifyFailure, retryDelayMs, shouldRetry } from "./http/retry";

export type OAuthStep = "identity provider" | "STS";

export class OAuthError extends Error {
  readonly step: OAuthStep;
  /** OAUTH_IDENTITY_PROVIDER or OAUTH_STS: never an HTTP status, which callers would read as the API's. */
  readonly code: string;
  /** The token endpoint's status, when it answered. */
  readonly httpStatus: number | undefined;

  constructor(step: OAuthStep, message: string, httpStatus?: number) {
    super(message);
    this.name = "OAuthError";
    this.step = step;
    this.code = step === "STS" ? "OAUTH_STS" : "OAUTH_IDENTITY_PROVIDER";
    this.httpStatus = httpStatus;
  }
}

export interface TokenReply {
  accessToken: string;
  /** Seconds, when the endpoint said. */
  expiresIn?: number;
}

export interface TokenRequest {
  step: OAuthStep;
  /** What the step is about, for messages: e.g. `for identity pool pool-abc`. */
  subject: string;
  url: string;
  form: Record<string, string>;
  /** Values to scrub from anything the endpoint answers. */
  secrets: string[];
  signal?: AbortSignal;
  /** Where retries are reported. */
  log?: (line: string) => void;
}

export interface TokenTransportOptions {
  attemptTimeoutMs?: number;
  maxRetries?: number;
  random?: () => number;
}

/** Posts a token request: what the token source needs from HTTP (tests may give another). */
export type TokenTransport = (request: TokenRequest) => Promise<TokenReply>;

/** What every token request of one transport shares. */
interface TokenPolicy {
  attemptTimeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  random: () => number;
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 8;
const MAX_TOKEN_BODY_BYTES = 1024 * 1024;

const STEP_LABELS: Record<OAuthStep, string> = {
  "identity provider": "identity provider token request",
  STS: "Confluent STS token exchange",
};

function scrub(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, secret) => out.split(secret).join("[REDACTED]"), text);
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A JSON object's text as that object; undefined for invalid JSON or any other JSON value. */
function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The words of a JSON error body: an OAuth error (RFC 6749 §5.2), else a Confluent Failure's first error. */
function jsonErrorText(parsed: Record<string, unknown> | null): string | undefined {
  const oauthCode = nonBlank(parsed?.error);
  const description = nonBlank(parsed?.error_description);
  if (oauthCode || description) return shorten([oauthCode, description].filter(Boolean).join(": "), 500);
  const first = Array.isArray(parsed?.errors) ? (parsed.errors[0] as Record<string, unknown> | undefined) : undefined;
  if (!first || typeof first !== "object") return undefined;
  const text = nonBlank(first.detail) ?? nonBlank(first.title) ?? nonBlank(first.code);
  return text ? shorten(text, 500) : undefined;
}

/** The endpoint's own words: an OAuth error (RFC 6749 §5.2), a Confluent Failure, or a short note on the body. */
function providerText(body: string, contentType: string | undefined): string | undefined {
  if (body.trim() === "") return undefined;
  if (isJsonType(contentType)) {
    let parsed: Record<string, unknown> | null;
    try {
      parsed = JSON.parse(body) as Record<string, unknown> | null;
    } catch {
      return `(invalid JSON: ${shorten(body, 120)})`;
    }
    return jsonErrorText(parsed) ?? "(a JSON body without an error description)";
  }
  if (/html/i.test(contentType ?? "") || /^\s*</.test(body)) return `(${contentType ?? "HTML"} body)`;
  return shorten(body, 200);
}

/** expires_in as a number of seconds: a JSON number, or a string of digits; undefined otherwise. */
function secondsOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * One token request and the life of its attempts: its own axios instance, whose request interceptor and axios-retry
 * hooks are this object's methods, and the OAuthError or TokenReply that tells how it ended.
 */
class TokenCall {
  private readonly request: TokenRequest;
  private readonly policy: TokenPolicy;
  private readonly http: AxiosInstance;
  private attempts: number;

  constructor(request: TokenRequest, policy: TokenPolicy) {
    this.request = request;
    this.policy = policy;
    this.attempts = 0;
    this.http = this.createHttp();
  }

  /** Every attempt it takes, until a 2xx answer holding a token; anything else ends in an OAuthError. */
  async send(): Promise<TokenReply> {
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method: "post",
        url: this.request.url,
        data: new URLSearchParams(this.request.form).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        signal: this.request.signal,
      });
    } catch (error) {
      throw this.failure(error);
    }
    return this.reply(response);
  }

  private head(): string {
    return `${STEP_LABELS[this.request.step]} ${this.request.subject} at ${displayUrl(this.request.url)}`;
  }

  private createHttp(): AxiosInstance {
    const http = axios.create({
      timeout: this.policy.attemptTimeoutMs,
      maxRedirects: 0,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      maxContentLength: MAX_TOKEN_BODY_BYTES,
      headers: { Accept: "application/json", "User-Agent": `pulumi-confluent-plattc axios/${axios.VERSION}` },
    });
    http.interceptors.request.use((attempt) => this.beforeAttempt(attempt));
    axiosRetry(http, {
      retries: this.policy.maxRetries,
      shouldResetTimeout: true,
      retryCondition: (error) => this.mayRetry(error),
      retryDelay: (retryCount, error) => this.retryDelay(retryCount, error),
      onRetry: (retryCount, error) => this.reportRetry(retryCount, error),
    });
    return http;
  }

  private beforeAttempt(attempt: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    this.attempts += 1;
    return attempt;
  }

  /** axios-retry's retryCondition. As "get": a token request may be sent again whatever happened to the last one. */
  private mayRetry(error: AxiosError): boolean {
    return !this.request.signal?.aborted && shouldRetry("get", error);
  }

  private retryDelay(retryCount: number, error: AxiosError): number {
    const response = error.response;
    return retryDelayMs({
      attempt: retryCount,
      retryAfter: header(response?.headers, "retry-after"),
      rateLimitReset: response?.status === 429 ? header(response.headers, "x-ratelimit-reset") : undefined,
      random: this.policy.random,
    });
  }

  private reportRetry(retryCount: number, error: AxiosError): void {
    this.request.log?.(`${this.head()}: ${this.describeAttempt(error)}; retry ${retryCount}/${this.policy.maxRetries}`);
  }

  /** What ended the request without a token, as an OAuthError. */
  private failure(error: unknown): OAuthError {
    const { step, secrets } = this.request;
    if (!axios.isAxiosError(error)) {
      return new OAuthError(step, `${this.head()} failed: ${scrub(error instanceof Error ? error.message : String(error), secrets)}`);
    }
    const tries = this.attempts > 1 ? ` after ${this.attempts} attempts` : "";
    if (error.code === "ERR_CANCELED") return new OAuthError(step, `${this.head()}: canceled${tries}`);
    return new OAuthError(step, `${this.head()} failed: ${this.describeAttempt(error)}${tries}`, error.response?.status);
  }

  /** One failed attempt: the status, the endpoint's words and the request id, or what became of the connection. */
  private describeAttempt(error: AxiosError): string {
    const { secrets } = this.request;
    const response = error.response;
    if (response) {
      const text = providerText(scrub(typeof response.data === "string" ? response.data : "", secrets), header(response.headers, "content-type"));
      const rid = header(response.headers, "x-request-id");
      return `${statusLine(response.status, response.statusText)}${text ? `: ${text}` : ""}${rid ? ` (request id ${rid})` : ""}`;
    }
    const kind = classifyFailure(error);
    const label = kind === "timeout" ? "timed out" : kind === "connect" ? "could not connect" : "connection failed";
    return `${label} (${error.code ?? "no code"}: ${scrub(error.message, secrets)})`;
  }

  /** The token of a 2xx answer, or an OAuthError saying what is wrong with the answer. */
  private reply(response: AxiosResponse<string>): TokenReply {
    const body = jsonObject(typeof response.data === "string" ? response.data : "");
    if (!body) throw this.invalid(response, "the body is not a JSON object");
    if (typeof body.access_token !== "string" || body.access_token === "") throw this.invalid(response, "the answer has no access_token");
    const expiresIn = secondsOf(body.expires_in);
    if (expiresIn !== undefined && !(expiresIn > 0)) throw this.invalid(response, "expires_in is not a positive number");
    if (typeof body.token_type === "string" && body.token_type.toLowerCase() !== "bearer") {
      throw this.invalid(response, `token_type is ${shorten(body.token_type, 40)}, not Bearer`);
    }
    return { accessToken: body.access_token, ...(expiresIn !== undefined ? { expiresIn } : {}) };
  }

  private invalid(response: AxiosResponse, why: string): OAuthError {
    return new OAuthError(this.request.step, `${this.head()}: ${statusLine(response.status, response.statusText)} but ${why}`, response.status);
  }
}

export function createTokenTransport(options: TokenTransportOptions = {}): TokenTransport {
  const policy: TokenPolicy = {
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    random: options.random ?? Math.random,
  };
  return (request) => new TokenCall(request, policy).send();
}
