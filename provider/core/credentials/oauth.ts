// Confluent bearer tokens through an identity pool, cached per process and renewed ahead of expiry.
//
// The identity provider's token is renewed 3 minutes before it expires and the STS token 1 minute before (half-way
// through its life when it lives no longer than that), as Confluent's Terraform provider does. However many requests
// need a token at once, one renewal runs (single-flight) and they all wait for it, each bounded by its own signal.
// Unlike Terraform's provider, the STS is the configured endpoint's (an emulator or a private gateway works), and no
// request or token is ever logged.
//
// Tokens live in a process-wide registry, one token source per endpoint and OAuth settings, never on the provider
// object.
import { createHash } from "node:crypto";
import { displayUrl, type OAuthSettings } from "./oauth-config";
import { createTokenTransport, OAuthError, type TokenReply, type TokenTransport } from "../transport/token-request";

const EXTERNAL_TOKEN_RENEWAL_MS = 3 * 60_000;
const STS_TOKEN_RENEWAL_MS = 60_000;
/** Bounds one renewal (both requests, retries included), whoever waits for it. */
const RENEWAL_TIMEOUT_MS = 2 * 60_000;
/** Recent tokens kept to scrub them from messages (a server may echo an older one). */
const REMEMBERED_TOKENS = 16;

const STS_PATH = "/sts/v1/oauth2/token";
const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

/**
 * When a token obtained at `obtainedAt` that lives `lifetimeMs` is renewed: `aheadMs` before it expires, or half-way
 * through its life when it lives no longer than `aheadMs`.
 */
export function renewalAt(obtainedAt: number, lifetimeMs: number, aheadMs: number): number {
  const margin = lifetimeMs <= aheadMs ? lifetimeMs / 2 : aheadMs;
  return obtainedAt + lifetimeMs - margin;
}

export interface BearerToken {
  value: string;
  /** Increases with every STS token; tells a refused token from one renewed since. */
  generation: number;
}

export interface TokenSourceOptions {
  now?: () => number;
  transport?: TokenTransport;
}

interface Held {
  value: string;
  renewAt: number;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A token endpoint's refusal of what it was sent: a 4xx answer other than 429. */
function refusedByClient(e: unknown): e is OAuthError {
  return e instanceof OAuthError && e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus < 500 && e.httpStatus !== 429;
}

export class OAuthTokenSource {
  private readonly stsUrl: string;
  private readonly now: () => number;
  private readonly transport: TokenTransport;
  private external: Held | undefined;
  private sts: (Held & { generation: number }) | undefined;
  private pending: Promise<BearerToken> | undefined;
  private generation = 0;
  private readonly recent: string[] = [];

  constructor(private readonly settings: OAuthSettings, endpoint: string, options: TokenSourceOptions = {}) {
    this.stsUrl = `${endpoint}${STS_PATH}`;
    this.now = options.now ?? Date.now;
    this.transport = options.transport ?? createTokenTransport();
    this.external = settings.externalAccessToken !== undefined ? { value: settings.externalAccessToken, renewAt: Number.POSITIVE_INFINITY } : undefined;
  }

  /** A bearer token that is not due for renewal; renews it first when it is (one renewal at a time). */
  token(signal?: AbortSignal, log?: (line: string) => void): Promise<BearerToken> {
    const current = this.sts;
    if (current && this.now() < current.renewAt) return Promise.resolve({ value: current.value, generation: current.generation });
    if (!this.pending) {
      this.pending = this.renew(log ?? ((): void => undefined)).finally(() => {
        this.pending = undefined;
      });
    }
    return abortable(this.pending, signal);
  }

  /** The API refused the token of `generation` although it was not due: drop it, so the next token() renews it. */
  refused(generation: number): void {
    if (this.sts?.generation === generation) this.sts = undefined;
  }

  /** Every value to scrub from messages: the client secret, the given token and the recent tokens. */
  secrets(): string[] {
    return [this.settings.clientSecret, this.settings.externalAccessToken, ...this.recent].filter((s): s is string => typeof s === "string" && s.length >= 4);
  }

  private remember(token: string): void {
    this.recent.push(token);
    if (this.recent.length > REMEMBERED_TOKENS) this.recent.shift();
  }

  private async renew(log: (line: string) => void): Promise<BearerToken> {
    const { reply, startedAt } = await this.obtain(AbortSignal.timeout(RENEWAL_TIMEOUT_MS), log);
    return this.keep(reply, startedAt, log);
  }

  /**
   * An STS token for the identity provider token (the cached one while it is not due, else a new one), and when the
   * exchange started; a cached identity provider token the STS refuses (revoked, or its clock is ahead) is replaced
   * once.
   */
  private async obtain(signal: AbortSignal, log: (line: string) => void): Promise<{ reply: TokenReply; startedAt: number }> {
    const cached = this.external !== undefined && this.now() < this.external.renewAt;
    const subject = cached ? this.external!.value : await this.fetchExternal(signal, log);
    const startedAt = this.now();
    try {
      return { reply: await this.exchange(subject, signal, log), startedAt };
    } catch (e) {
      if (!refusedByClient(e)) throw e;
      if (this.settings.tokenUrl === undefined) {
        throw new OAuthError("STS", `${e.message}. The token in oauthExternalAccessToken is never renewed by the provider: set a fresh one, or a token URL with a client id and secret`, e.httpStatus);
      }
      if (!cached) throw e;
      log(`OAuth: the STS refused the cached identity provider token (${e.message}); getting a new one`);
      this.external = undefined;
      const fresh = await this.fetchExternal(signal, log);
      const restartedAt = this.now();
      return { reply: await this.exchange(fresh, signal, log), startedAt: restartedAt };
    }
  }

  /** Holds the STS token of `reply` until it is due for renewal, under a new generation. */
  private keep(reply: TokenReply, startedAt: number, log: (line: string) => void): BearerToken {
    const lifetimeMs = (reply.expiresIn ?? this.settings.stsExpiresInSeconds) * 1000;
    this.generation += 1;
    this.sts = { value: reply.accessToken, renewAt: renewalAt(startedAt, lifetimeMs, STS_TOKEN_RENEWAL_MS), generation: this.generation };
    this.remember(reply.accessToken);
    log(`OAuth: Confluent token for identity pool ${this.settings.identityPoolId} from ${displayUrl(this.stsUrl)}, valid ${lifetimeMs / 1000} s, renewed after ${((this.sts.renewAt - startedAt) / 1000).toFixed(0)} s`);
    return { value: this.sts.value, generation: this.sts.generation };
  }

  private async fetchExternal(signal: AbortSignal, log: (line: string) => void): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope } = this.settings;
    const startedAt = this.now();
    const reply = await this.transport({
      step: "identity provider",
      subject: `for client ${clientId}`,
      url: tokenUrl!,
      form: { grant_type: "client_credentials", client_id: clientId!, client_secret: clientSecret!, ...(scope ? { scope } : {}) },
      secrets: this.secrets(),
      signal,
      log,
    });
    // Without expires_in the token serves this one exchange, and the next renewal asks for another.
    const renewAt = reply.expiresIn !== undefined ? renewalAt(startedAt, reply.expiresIn * 1000, EXTERNAL_TOKEN_RENEWAL_MS) : startedAt;
    this.external = { value: reply.accessToken, renewAt };
    this.remember(reply.accessToken);
    log(`OAuth: identity provider token from ${displayUrl(tokenUrl!)}${reply.expiresIn !== undefined ? `, valid ${reply.expiresIn} s, renewed after ${((renewAt - startedAt) / 1000).toFixed(0)} s` : " (no expires_in: used for one exchange)"}`);
    return reply.accessToken;
  }

  private exchange(subject: string, signal: AbortSignal, log: (line: string) => void): Promise<TokenReply> {
    return this.transport({
      step: "STS",
      subject: `for identity pool ${this.settings.identityPoolId}`,
      url: this.stsUrl,
      form: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: subject,
        identity_pool_id: this.settings.identityPoolId,
        subject_token_type: JWT_TOKEN_TYPE,
        requested_token_type: ACCESS_TOKEN_TYPE,
        expires_in: String(this.settings.stsExpiresInSeconds),
      },
      secrets: [...this.secrets(), subject],
      signal,
      log,
    });
  }
}

// One token source per endpoint and OAuth settings in the process, shared by every client and resource; keyed by a
// digest, so no secret is a key.
const registry = new Map<string, OAuthTokenSource>();

/** The process's token source for these settings (created with `options` on first use). */
export function oauthTokensFor(settings: OAuthSettings, endpoint: string, options: TokenSourceOptions = {}): OAuthTokenSource {
  const s = settings;
  const identity = [endpoint, s.identityPoolId, s.tokenUrl, s.clientId, s.clientSecret, s.scope, s.externalAccessToken, s.stsExpiresInSeconds];
  const key = createHash("sha256").update(JSON.stringify(identity)).digest("hex");
  let source = registry.get(key);
  if (!source) {
    source = new OAuthTokenSource(settings, endpoint, options);
    registry.set(key, source);
  }
  return source;
}
