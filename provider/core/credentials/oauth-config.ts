// OAuth settings through a Confluent identity pool, as pulumi-confluentcloud takes them: the stack config object
// `confluentcloud:oauth` (set key by key with `pulumi config set --path`), or CONFLUENT_CLOUD_OAUTH_* variables.
//
// Either a client-credentials grant at the identity provider (token URL, client id, client secret, optional scope)
// or an identity provider token obtained beforehand (`oauthExternalAccessToken`, not renewable), and always the
// identity pool the Confluent STS exchanges it for. Errors name settings, never their values.

export interface OAuthSettings {
  identityPoolId: string;
  /** Client-credentials grant at the identity provider… */
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  /** …or a token it already issued (used until it is refused). */
  externalAccessToken?: string;
  /** expires_in asked of the STS, 1..900 (default 900). */
  stsExpiresInSeconds: number;
}

export class InvalidCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidCredentialsError";
  }
}

export const OAUTH_CONFIG_KEY = "confluentcloud:oauth";
const STS_MAX_EXPIRES_IN_SECONDS = 900;

type Field = keyof Omit<OAuthSettings, "stsExpiresInSeconds"> | "stsExpiresInSeconds";

/** Config object key and environment variable of each setting. */
const OAUTH_FIELDS: ReadonlyArray<{ field: Field; key: string; env: string }> = [
  { field: "tokenUrl", key: "oauthExternalTokenUrl", env: "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL" },
  { field: "clientId", key: "oauthExternalClientId", env: "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID" },
  { field: "clientSecret", key: "oauthExternalClientSecret", env: "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET" },
  { field: "scope", key: "oauthExternalTokenScope", env: "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE" },
  { field: "externalAccessToken", key: "oauthExternalAccessToken", env: "CONFLUENT_CLOUD_OAUTH_EXTERNAL_ACCESS_TOKEN" },
  { field: "identityPoolId", key: "oauthIdentityPoolId", env: "CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID" },
  { field: "stsExpiresInSeconds", key: "oauthStsTokenExpiredInSeconds", env: "CONFLUENT_CLOUD_OAUTH_STS_TOKEN_EXPIRED_IN_SECONDS" },
];

export const OAUTH_HOW_TO_SET =
  `  pulumi config set --path '${OAUTH_CONFIG_KEY}.oauthIdentityPoolId' <pool-id>\n` +
  `  pulumi config set --path '${OAUTH_CONFIG_KEY}.oauthExternalTokenUrl' <token-url>\n` +
  `  pulumi config set --path '${OAUTH_CONFIG_KEY}.oauthExternalClientId' <client-id>\n` +
  `  pulumi config set --path --secret '${OAUTH_CONFIG_KEY}.oauthExternalClientSecret' <client-secret>`;

/** Where the settings are read: the names to show in errors and a reader of raw values. */
export interface OAuthSource {
  label: "stack config" | "environment";
  name(field: Field): string;
  /** Raw values by field; undefined when the source has no OAuth setting at all. */
  read(): Partial<Record<Field, unknown>> | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The settings given a value by `valueOf`, blank ones left out; undefined when there is none. */
function givenFields(valueOf: (spec: (typeof OAUTH_FIELDS)[number]) => unknown): Partial<Record<Field, unknown>> | undefined {
  const out: Partial<Record<Field, unknown>> = {};
  for (const spec of OAUTH_FIELDS) {
    const value = valueOf(spec);
    if (present(value)) out[spec.field] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The `confluentcloud:oauth` value as an object, and only known keys in it. Errors never echo it: it holds the client secret. */
function configObject(raw: unknown): Record<string, unknown> {
  const notAnObject = (): InvalidCredentialsError => new InvalidCredentialsError(`${OAUTH_CONFIG_KEY} is not an object. Set its keys one by one:\n${OAUTH_HOW_TO_SET}`);
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw notAnObject();
    }
  }
  if (!isPlainObject(value)) throw notAnObject();
  const known = new Set(OAUTH_FIELDS.map((f) => f.key));
  const unknown = Object.keys(value).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new InvalidCredentialsError(`${OAUTH_CONFIG_KEY} has unknown key(s) ${unknown.join(", ")}; its keys are ${[...known].join(", ")}`);
  }
  return value;
}

/** The `confluentcloud:oauth` value: the JSON text the engine hands the provider, or an object (lookups, tests). */
export function configOAuthSource(raw: unknown): OAuthSource {
  return {
    label: "stack config",
    name: (field) => `${OAUTH_CONFIG_KEY}.${OAUTH_FIELDS.find((f) => f.field === field)!.key}`,
    read: () => {
      if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) return undefined;
      const value = configObject(raw);
      return givenFields(({ key }) => value[key]);
    },
  };
}

export function envOAuthSource(env: NodeJS.ProcessEnv): OAuthSource {
  return {
    label: "environment",
    name: (field) => OAUTH_FIELDS.find((f) => f.field === field)!.env,
    read: () => givenFields(({ env: name }) => env[name]),
  };
}

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== "string" || value.trim() !== "";
}

/** The identity pool and the grant as a source gives them, each trimmed. */
type Given = Pick<OAuthSettings, "identityPoolId" | "tokenUrl" | "clientId" | "clientSecret" | "externalAccessToken">;

function textSetting(source: OAuthSource, raw: Partial<Record<Field, unknown>>, field: Field): string | undefined {
  const value = raw[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new InvalidCredentialsError(`${source.name(field)} (${source.label}) must be a string`);
  return value.trim();
}

function incomplete(source: OAuthSource, what: string): never {
  throw new InvalidCredentialsError(`Confluent Cloud OAuth settings in the ${source.label} are incomplete: ${what}.\nIn the stack config:\n${OAUTH_HOW_TO_SET}`);
}

/** An identity pool, and one grant: a token URL with a client id and secret, or a token obtained beforehand. */
function checkGrant(source: OAuthSource, given: Partial<Given>): void {
  const { identityPoolId, tokenUrl, clientId, clientSecret, externalAccessToken } = given;
  if (!identityPoolId) incomplete(source, `${source.name("identityPoolId")} is required`);
  if (tokenUrl && externalAccessToken) {
    throw new InvalidCredentialsError(
      `${source.name("tokenUrl")} and ${source.name("externalAccessToken")} are both set in the ${source.label}; set one: ` +
        `the token URL with a client id and secret (tokens are renewed), or a token obtained beforehand (it is not)`,
    );
  }
  if (!tokenUrl && !externalAccessToken) {
    incomplete(source, `set ${source.name("tokenUrl")} with ${source.name("clientId")} and ${source.name("clientSecret")}, or ${source.name("externalAccessToken")}`);
  }
  if (tokenUrl) {
    if (!clientId) incomplete(source, `${source.name("tokenUrl")} needs ${source.name("clientId")}`);
    if (!clientSecret) incomplete(source, `${source.name("tokenUrl")} needs ${source.name("clientSecret")}`);
    checkTokenUrl(tokenUrl, `${source.name("tokenUrl")} (${source.label})`);
  }
}

/** The OAuth settings of a source, undefined when it has none; an error when they are incomplete or malformed. */
export function oauthFrom(source: OAuthSource): OAuthSettings | undefined {
  const raw = source.read();
  if (!raw) return undefined;
  const text = (field: Field): string | undefined => textSetting(source, raw, field);
  const given: Partial<Given> = {
    identityPoolId: text("identityPoolId"),
    tokenUrl: text("tokenUrl"),
    clientId: text("clientId"),
    clientSecret: text("clientSecret"),
    externalAccessToken: text("externalAccessToken"),
  };
  checkGrant(source, given);
  const { identityPoolId, tokenUrl, clientId, clientSecret, externalAccessToken } = given;
  const settings: OAuthSettings = { identityPoolId: identityPoolId!, stsExpiresInSeconds: expiresIn(raw.stsExpiresInSeconds, `${source.name("stsExpiresInSeconds")} (${source.label})`) };
  if (tokenUrl) Object.assign(settings, { tokenUrl, clientId, clientSecret });
  else settings.externalAccessToken = externalAccessToken;
  const scope = text("scope");
  if (scope && tokenUrl) settings.scope = scope;
  return settings;
}

function expiresIn(value: unknown, origin: string): number {
  if (value === undefined) return STS_MAX_EXPIRES_IN_SECONDS;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*[0-9]{1,6}\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > STS_MAX_EXPIRES_IN_SECONDS) {
    throw new InvalidCredentialsError(`${origin} must be a whole number of seconds in 1..${STS_MAX_EXPIRES_IN_SECONDS}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function checkTokenUrl(raw: string, origin: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidCredentialsError(`${origin} is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidCredentialsError(`${origin} must be an http(s) URL, got protocol ${url.protocol}`);
  if (url.username || url.password) throw new InvalidCredentialsError(`${origin} must not contain credentials (user:password@); set the client id and secret instead`);
}

/** A URL as errors and logs show it: origin and path, never user info, a query or a fragment. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}${url.search ? "?…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}
