// The two token requests of OAuth through an identity pool, over axios with axios-retry: the client-credentials
// grant at the identity provider and the token exchange at Confluent's STS. Both are retried like an idempotent API
// call (429, 5xx except 501, connect errors, timeouts, broken connections; Retry-After honoured): asking for a token
// twice does no harm. Failures become OAuthError naming the step, the URL (origin and path only), the HTTP status
// and the provider's own words, scrubbed of every secret the request carried.
import axios, { type AxiosError, type AxiosResponse } from "axios";
import axiosRetry from "axios-retry";
import { header, isJsonType, shorten, statusLine } from "./http/answer";
import { repairError } from "./errors";
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
    repairError(this, message);
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

/** One token request and its attempts so far; travels on the axios config (a class: axios deep-copies plain objects). */
class TokenCall {
  readonly request: TokenRequest;
  attempts: number;

  constructor(request: TokenRequest) {
    this.request = request;
    this.attempts = 0;
  }
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

/** The endpoint's own words: an OAuth error (RFC 6749 §5.2), a Confluent Failure, or a short note on the body. */
export function providerText(body: string, contentType: string | undefined): string | undefined {
  if (body.trim() === "") return undefined;
  if (isJsonType(contentType)) {
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const pick = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
      const oauthCode = pick(parsed?.error);
      const description = pick(parsed?.error_description);
      if (oauthCode || description) return shorten([oauthCode, description].filter(Boolean).join(": "), 500);
      const first = Array.isArray(parsed?.errors) ? (parsed.errors[0] as Record<string, unknown> | undefined) : undefined;
      if (first && typeof first === "object") {
        const text = pick(first.detail) ?? pick(first.title) ?? pick(first.code);
        if (text) return shorten(text, 500);
      }
      return "(a JSON body without an error description)";
    } catch {
      return `(invalid JSON: ${shorten(body, 120)})`;
    }
  }
  if (/html/i.test(contentType ?? "") || /^\s*</.test(body)) return `(${contentType ?? "HTML"} body)`;
  return shorten(body, 200);
}

export function createTokenTransport(options: TokenTransportOptions = {}): TokenTransport {
  const random = options.random ?? Math.random;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const instance = axios.create({
    timeout: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    maxRedirects: 0,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    maxContentLength: MAX_TOKEN_BODY_BYTES,
    headers: { Accept: "application/json", "User-Agent": `pulumi-confluent-plattc axios/${axios.VERSION}` },
  });
  const failureLine = (error: AxiosError, secrets: string[]): string => {
    const response = error.response;
    if (response) {
      const text = providerText(scrub(typeof response.data === "string" ? response.data : "", secrets), header(response.headers, "content-type"));
      const rid = header(response.headers, "x-request-id");
      return `${statusLine(response.status, response.statusText)}${text ? `: ${text}` : ""}${rid ? ` (request id ${rid})` : ""}`;
    }
    const kind = classifyFailure(error);
    const label = kind === "timeout" ? "timed out" : kind === "connect" ? "could not connect" : "connection failed";
    return `${label} (${error.code ?? "no code"}: ${scrub(error.message, secrets)})`;
  };
  instance.interceptors.request.use((config) => {
    const call = (config as { tokenCall?: TokenCall }).tokenCall;
    if (call) call.attempts += 1;
    return config;
  });
  axiosRetry(instance, {
    retries: maxRetries,
    shouldResetTimeout: true,
    // "get": a token request may be sent again whatever happened to the last one.
    retryCondition: (error) => !(error.config as { signal?: AbortSignal } | undefined)?.signal?.aborted && shouldRetry("get", error),
    retryDelay: (retryCount, error) => {
      const response = error.response;
      return retryDelayMs({
        attempt: retryCount,
        retryAfter: header(response?.headers, "retry-after"),
        rateLimitReset: response?.status === 429 ? header(response.headers, "x-ratelimit-reset") : undefined,
        random,
      });
    },
    onRetry: (retryCount, error, config) => {
      const request = (config as { tokenCall?: TokenCall }).tokenCall?.request;
      if (request?.log) request.log(`${STEP_LABELS[request.step]} ${request.subject} at ${displayUrl(request.url)}: ${failureLine(error, request.secrets)}; retry ${retryCount}/${maxRetries}`);
    },
  });

  return async (request) => {
    const head = `${STEP_LABELS[request.step]} ${request.subject} at ${displayUrl(request.url)}`;
    const call = new TokenCall(request);
    let response: AxiosResponse<string>;
    try {
      response = await instance.request<string>({
        method: "post",
        url: request.url,
        data: new URLSearchParams(request.form).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        signal: request.signal,
        tokenCall: call,
      } as never);
    } catch (error) {
      const tries = call.attempts > 1 ? ` after ${call.attempts} attempts` : "";
      if (axios.isAxiosError(error)) {
        if (error.code === "ERR_CANCELED") throw new OAuthError(request.step, `${head}: canceled${tries}`);
        throw new OAuthError(request.step, `${head} failed: ${failureLine(error, request.secrets)}${tries}`, error.response?.status);
      }
      throw new OAuthError(request.step, `${head} failed: ${scrub(error instanceof Error ? error.message : String(error), request.secrets)}`);
    }
    const text = typeof response.data === "string" ? response.data : "";
    const invalid = (why: string): OAuthError => new OAuthError(request.step, `${head}: ${statusLine(response.status, response.statusText)} but ${why}`, response.status);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      throw invalid("the body is not a JSON object");
    }
    if (typeof body.access_token !== "string" || body.access_token === "") throw invalid("the answer has no access_token");
    const expiresIn = typeof body.expires_in === "number" ? body.expires_in : typeof body.expires_in === "string" && /^\d+$/.test(body.expires_in) ? Number(body.expires_in) : undefined;
    if (expiresIn !== undefined && !(expiresIn > 0)) throw invalid("expires_in is not a positive number");
    if (typeof body.token_type === "string" && body.token_type.toLowerCase() !== "bearer") throw invalid(`token_type is ${shorten(body.token_type, 40)}, not Bearer`);
    return { accessToken: body.access_token, ...(expiresIn !== undefined ? { expiresIn } : {}) };
  };
}
