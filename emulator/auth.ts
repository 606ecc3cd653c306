// Who the Authorization header of an API request says the caller is, and the 401 for a caller refused.
import { failure, type ApiResponse } from "./messages";
import type { TokenAuthority } from "./oauth";
import type { ResolvedOptions } from "./options";

/** `oauth`: a live token from the emulator's STS; `bearer`: one of the configured static tokens. */
export type AuthKind = "basic" | "bearer" | "oauth" | "none" | "invalid";

/** `accepted`: the key pair and static tokens the emulator takes; `tokens`: the issuer of the OAuth ones. */
export function authenticate(header: string | undefined, accepted: Pick<ResolvedOptions, "credentials" | "accessTokens">, tokens: TokenAuthority): AuthKind {
  if (!header) return "none";
  const [scheme, value = ""] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const { apiKey, apiSecret } = accepted.credentials;
    return decoded === `${apiKey}:${apiSecret}` ? "basic" : "invalid";
  }
  if (scheme?.toLowerCase() === "bearer") {
    if (accepted.accessTokens.includes(value)) return "bearer";
    return tokens.check(value, "sts") === "valid" ? "oauth" : "invalid";
  }
  return "invalid";
}

/** The 401 for a request without a credential or with one refused, saying why in its WWW-Authenticate. */
export function unauthenticated(auth: "none" | "invalid", authorization: string | undefined, tokens: TokenAuthority): ApiResponse {
  const challenge = auth === "none"
    ? 'Basic realm="Confluent Cloud", Bearer realm="Confluent Cloud"'
    : challengeFor(authorization, tokens);
  return failure(401, "user_unauthenticated", "Valid authentication credentials must be provided", undefined, { "WWW-Authenticate": challenge });
}

function challengeFor(authorization: string | undefined, tokens: TokenAuthority): string {
  const [scheme, value = ""] = (authorization ?? "").split(/\s+/, 2);
  const check = scheme?.toLowerCase() === "bearer" ? tokens.check(value, "sts") : "unknown";
  if (check === "expired") return 'Bearer realm="Confluent Cloud", error="invalid_token", error_description="The access token expired"';
  if (check === "revoked") return 'Bearer realm="Confluent Cloud", error="invalid_token", error_description="The access token was revoked"';
  return 'Basic realm="Confluent Cloud", error="invalid_key", error_description="The API key, secret or token is invalid"';
}
