// The Authorization header of each attempt, and the credential values no message may quote.
//
// Only this object and the axios configs of the attempts hold a credential; neither is reachable from a client or
// an ApiError.
import type { AxiosRequestHeaders } from "axios";
import type { Credentials, Settings } from "../credentials/credentials";
import { oauthTokensFor, type OAuthTokenSource } from "../credentials/oauth";
import { quotesSecret, redact } from "./redact";

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

export class Authorizer {
  /** Where the credentials came from (never the values), for hints in messages. */
  readonly source: string | undefined;
  private readonly oauth: OAuthTokenSource | undefined;
  private readonly fixedAuthorization: string | undefined;
  private readonly fixedSecrets: string[];

  /** `now`: the time source of OAuth token renewal, used when the process first needs these settings. */
  constructor(settings: Settings, now?: () => number) {
    const { credentials } = settings;
    this.source = settings.source;
    this.oauth = credentials.kind === "oauth" ? oauthTokensFor(credentials.oauth, settings.endpoint, { now }) : undefined;
    this.fixedAuthorization = credentials.kind === "oauth" ? undefined : authorizationOf(credentials);
    this.fixedSecrets = credentials.kind === "oauth" ? [] : secretsOf(credentials);
  }

  usesOAuth(): boolean {
    return this.oauth !== undefined;
  }

  /** Sets the attempt's Authorization header; returns the generation of the OAuth token it carries (0 without OAuth). */
  async authorize(headers: AxiosRequestHeaders, signal: AbortSignal | undefined, log: (line: string) => void): Promise<number> {
    if (!this.oauth) {
      headers.set("Authorization", this.fixedAuthorization);
      return 0;
    }
    const token = await this.oauth.token(signal, log);
    headers.set("Authorization", `Bearer ${token.value}`);
    return token.generation;
  }

  /** The API refused the OAuth token of `generation` although it was not due: the next attempt gets a new one. */
  refused(generation: number): void {
    this.oauth?.refused(generation);
  }

  redact(text: string): string {
    return redact(text, this.secrets());
  }

  quotesSecret(text: string): boolean {
    return quotesSecret(text, this.secrets());
  }

  // OAuth tokens change while a client lives: the ones current at the time of each message.
  private secrets(): string[] {
    return this.oauth ? this.oauth.secrets() : this.fixedSecrets;
  }
}
