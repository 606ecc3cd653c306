// OAuth for the emulator: an identity provider's client-credentials token endpoint (for tests and the demo, under
// the control prefix) and Confluent's Security Token Service (`POST /sts/v1/oauth2/token`), which exchanges the
// identity provider's token for a Confluent bearer token of an identity pool. Both kinds of token expire on the
// emulator's clock; the API refuses an STS token once it has expired or was revoked.
import { randomBytes, randomUUID } from "node:crypto";
import { failure, type ApiResponse } from "./messages";
import { STS_MAX_LIFETIME_SECONDS, type Clock, type OAuthLifetimes, type OAuthSettings } from "./options";

export const IDP_TOKEN_PATH = "/_emulator/oauth2/token";
export const STS_TOKEN_PATH = "/sts/v1/oauth2/token";

const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
export type TokenCheck = "valid" | "expired" | "revoked" | "unknown";

interface Issued {
  kind: "external" | "sts";
  expiresAt: number;
  revoked: boolean;
  /** For STS tokens, the pool they act for. */
  identityPoolId?: string;
}

export interface OAuthStats {
  externalIssued: number;
  stsIssued: number;
  /** Tokens not expired or revoked on the emulator's clock. */
  externalLive: number;
  stsLive: number;
}

type Form = URLSearchParams;

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { "Cache-Control": "no-store", ...headers }, body: { error, error_description: description } };
}

function lifetimesOf(settings: OAuthSettings): OAuthLifetimes {
  return { externalTokenLifetimeSeconds: settings.externalTokenLifetimeSeconds, stsTokenLifetimeSeconds: settings.stsTokenLifetimeSeconds };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export class TokenAuthority {
  readonly identityPools = new Set<string>();
  /** Client id → client secret. */
  readonly clients = new Map<string, string>();
  readonly lifetimes: OAuthLifetimes;
  private readonly tokens = new Map<string, Issued>();
  private externalIssued = 0;
  private stsIssued = 0;

  constructor(private readonly clock: Clock, settings: OAuthSettings, private readonly issuer: () => string) {
    this.lifetimes = lifetimesOf(settings);
    this.reset(settings);
  }

  /** Back to `settings`: their pools, clients and lifetimes, and no token issued. */
  reset(settings: OAuthSettings): void {
    this.clear();
    this.identityPools.clear();
    for (const pool of settings.identityPools) this.identityPools.add(pool);
    this.clients.clear();
    for (const c of settings.clients) this.clients.set(c.clientId, c.clientSecret);
    Object.assign(this.lifetimes, lifetimesOf(settings));
  }

  /** The identity provider: `grant_type=client_credentials`, the client in the form or as HTTP Basic. */
  issueExternal(contentType: string | undefined, text: string, authorization: string | undefined): ApiResponse {
    const form = this.form(contentType, text);
    if (!form) return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
    const grant = form.get("grant_type");
    if (!grant) return oauthError(400, "invalid_request", "grant_type is required");
    if (grant !== "client_credentials") return oauthError(400, "unsupported_grant_type", `grant_type ${grant} is not supported; use client_credentials`);
    let clientId = form.get("client_id") ?? undefined;
    let clientSecret = form.get("client_secret") ?? undefined;
    let viaBasic = false;
    const [scheme, value = ""] = (authorization ?? "").split(/\s+/, 2);
    if (scheme?.toLowerCase() === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
        viaBasic = true;
      }
    }
    if (!clientId || clientSecret === undefined) return oauthError(400, "invalid_request", "client_id and client_secret are required");
    if (this.clients.get(clientId) !== clientSecret) {
      const challenge: Record<string, string> = viaBasic ? { "WWW-Authenticate": 'Basic realm="emulator identity provider"' } : {};
      return oauthError(401, "invalid_client", "Client authentication failed: unknown client or wrong client secret", challenge);
    }
    const lifetime = this.lifetimes.externalTokenLifetimeSeconds;
    const now = this.clock.now();
    const token = [
      base64url({ alg: "none", typ: "JWT" }),
      base64url({
        iss: `${this.issuer()}/_emulator`, sub: clientId, aud: "confluent", iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + lifetime,
        jti: randomUUID(), ...(form.get("scope") ? { scope: form.get("scope") } : {}),
      }),
      randomBytes(24).toString("base64url"),
    ].join(".");
    this.tokens.set(token, { kind: "external", expiresAt: now + lifetime * 1000, revoked: false });
    this.externalIssued++;
    return { status: 200, headers: { "Cache-Control": "no-store" }, body: { access_token: token, token_type: "Bearer", expires_in: lifetime } };
  }

  /** Confluent's STS: exchanges a live identity provider token for a bearer token of an identity pool. */
  exchange(contentType: string | undefined, text: string): ApiResponse {
    const form = this.form(contentType, text);
    if (!form) return failure(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
    for (const name of ["grant_type", "subject_token", "identity_pool_id", "subject_token_type", "requested_token_type"]) {
      if (!form.get(name)) return failure(400, "invalid_request", `${name} is required`, { parameter: name });
    }
    const expect: [string, string][] = [["grant_type", TOKEN_EXCHANGE_GRANT], ["subject_token_type", JWT_TOKEN_TYPE], ["requested_token_type", ACCESS_TOKEN_TYPE]];
    for (const [name, wanted] of expect) {
      if (form.get(name) !== wanted) return failure(400, "invalid_request", `${name} must be ${wanted}`, { parameter: name });
    }
    let requested = STS_MAX_LIFETIME_SECONDS;
    const expiresIn = form.get("expires_in");
    if (expiresIn !== null) {
      requested = /^[0-9]{1,6}$/.test(expiresIn) ? Number(expiresIn) : NaN;
      if (!(requested >= 1 && requested <= STS_MAX_LIFETIME_SECONDS)) {
        return failure(400, "invalid_request", `expires_in must be a whole number of seconds in 1..${STS_MAX_LIFETIME_SECONDS}`, { parameter: "expires_in" });
      }
    }
    const pool = form.get("identity_pool_id")!;
    if (!this.identityPools.has(pool)) return failure(400, "invalid_identity_pool", `identity pool '${pool}' was not found`, { parameter: "identity_pool_id" });
    const subject = this.check(form.get("subject_token")!, "external");
    if (subject !== "valid") {
      const why = subject === "unknown" ? "was not issued by a trusted identity provider" : `is ${subject}`;
      return failure(400, "invalid_subject_token", `the subject token ${why}`, { parameter: "subject_token" });
    }
    const lifetime = Math.min(requested, this.lifetimes.stsTokenLifetimeSeconds);
    const now = this.clock.now();
    const token = [
      base64url({ alg: "none", typ: "JWT" }),
      base64url({ iss: "Confluent", sub: pool, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + lifetime, jti: randomUUID() }),
      randomBytes(24).toString("base64url"),
    ].join(".");
    this.tokens.set(token, { kind: "sts", expiresAt: now + lifetime * 1000, revoked: false, identityPoolId: pool });
    this.stsIssued++;
    return { status: 200, headers: { "Cache-Control": "no-store" }, body: { access_token: token, issued_token_type: ACCESS_TOKEN_TYPE, token_type: "Bearer", expires_in: lifetime } };
  }

  /** Whether a token of that kind is live now. */
  check(token: string, kind: Issued["kind"]): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued || issued.kind !== kind) return "unknown";
    if (issued.revoked) return "revoked";
    return this.clock.now() >= issued.expiresAt ? "expired" : "valid";
  }

  /** Revokes every token issued so far (of one kind, or both); later ones are not affected. */
  revoke(which: "external" | "sts" | "all"): number {
    let count = 0;
    for (const issued of this.tokens.values()) {
      if (!issued.revoked && (which === "all" || issued.kind === which)) {
        issued.revoked = true;
        count++;
      }
    }
    return count;
  }

  /** Every token issued since the last clear, by kind (for leak tests: what must never show anywhere). */
  values(): { external: string[]; sts: string[] } {
    const out = { external: [] as string[], sts: [] as string[] };
    for (const [token, issued] of this.tokens) out[issued.kind].push(token);
    return out;
  }

  stats(): OAuthStats {
    const now = this.clock.now();
    let externalLive = 0;
    let stsLive = 0;
    for (const issued of this.tokens.values()) {
      if (issued.revoked || now >= issued.expiresAt) continue;
      if (issued.kind === "external") externalLive++;
      else stsLive++;
    }
    return { externalIssued: this.externalIssued, stsIssued: this.stsIssued, externalLive, stsLive };
  }

  clear(): void {
    this.tokens.clear();
    this.externalIssued = 0;
    this.stsIssued = 0;
  }

  private form(contentType: string | undefined, text: string): Form | undefined {
    if (!/^application\/x-www-form-urlencoded\b/i.test((contentType ?? "").trim())) return undefined;
    return new URLSearchParams(text);
  }
}
