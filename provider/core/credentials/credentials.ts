// Where the provider finds its Confluent Cloud credentials and endpoint.
//
// Read at call time only (from `configure`'s config, or process.env inside a provider method), never at import
// time: a program that only declares connections reads no credential.
//
// Credentials precedence, first complete source wins:
//   1. stack config  confluentcloud:cloudApiKey + confluentcloud:cloudApiSecret
//   2. stack config  confluentcloud:oauth (an object: identity pool + identity provider, see oauth-config.ts)
//   3. stack config  confluentcloud:accessToken
//   4. environment   CONFLUENT_CLOUD_API_KEY + CONFLUENT_CLOUD_API_SECRET
//   5. environment   CONFLUENT_CLOUD_OAUTH_*
//   6. environment   CONFLUENT_CLOUD_ACCESS_TOKEN
// OAuth excludes the other two in the same source (an error naming both): they would be different identities, and
// picking one silently could act as the wrong one. A pair beside a static token keeps its old precedence.
// Stack config beats the environment because it is explicit and per stack, while the environment is ambient
// (a developer's shell may hold another organisation's key). A half-set pair is an error, not a fall-through:
// silently using other credentials than the ones the user started to configure could touch the wrong account.
// Endpoint: confluentcloud:endpoint, then CONFLUENT_CLOUD_ENDPOINT, then https://api.confluent.cloud.
import { configOAuthSource, envOAuthSource, InvalidCredentialsError, OAUTH_CONFIG_KEY, OAUTH_HOW_TO_SET, oauthFrom, type OAuthSettings, type OAuthSource } from "./oauth-config";

export { InvalidCredentialsError } from "./oauth-config";

export type Credentials =
  | { kind: "basic"; apiKey: string; apiSecret: string }
  | { kind: "bearer"; token: string }
  | { kind: "oauth"; oauth: OAuthSettings };

export interface Settings {
  /** Base URL without trailing slash, e.g. "https://api.confluent.cloud". */
  endpoint: string;
  credentials: Credentials;
  /** Where the credentials came from, for error messages (never the values). */
  source?: string;
}

export class MissingCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingCredentialsError";
  }
}

/** `confluentcloud:oauth` may be an object here; the engine hands it over as JSON text. */
export type ConfigSource = { get(key: string): unknown } | Record<string, unknown>;

export const DEFAULT_ENDPOINT = "https://api.confluent.cloud";

const CONFIG_KEY = "confluentcloud:cloudApiKey";
const CONFIG_SECRET = "confluentcloud:cloudApiSecret";
const CONFIG_TOKEN = "confluentcloud:accessToken";
const CONFIG_ENDPOINT = "confluentcloud:endpoint";
/** Every stack config key the provider and the lookups read. */
export const STACK_CONFIG_KEYS: readonly string[] = [CONFIG_KEY, CONFIG_SECRET, CONFIG_ENDPOINT, CONFIG_TOKEN, OAUTH_CONFIG_KEY];
const ENV_KEY = "CONFLUENT_CLOUD_API_KEY";
const ENV_SECRET = "CONFLUENT_CLOUD_API_SECRET";
const ENV_TOKEN = "CONFLUENT_CLOUD_ACCESS_TOKEN";
const ENV_ENDPOINT = "CONFLUENT_CLOUD_ENDPOINT";

const HOW_TO_SET =
  `Set them in the stack config:\n` +
  `  pulumi config set ${CONFIG_KEY} <key>\n` +
  `  pulumi config set --secret ${CONFIG_SECRET} <secret>\n` +
  `  (or a bearer token: pulumi config set --secret ${CONFIG_TOKEN} <token>)\n` +
  `  (or OAuth through a Confluent identity pool, instead of the key:\n${OAUTH_HOW_TO_SET.replace(/^/gm, "  ")})\n` +
  `or in the environment of \`pulumi up\`: ${ENV_KEY} and ${ENV_SECRET} (or ${ENV_TOKEN}, or CONFLUENT_CLOUD_OAUTH_*).`;

function rawLookup(config: ConfigSource | undefined, key: string): unknown {
  if (!config) return undefined;
  return typeof config.get === "function" ? (config as { get(key: string): unknown }).get(key) : (config as Record<string, unknown>)[key];
}

function lookup(config: ConfigSource | undefined, key: string): string | undefined {
  const raw = rawLookup(config, key);
  if (typeof raw !== "string") return undefined;
  const value = raw.trim();
  return value === "" ? undefined : value;
}

interface Source {
  label: string;
  keyName: string;
  secretName: string;
  tokenName: string;
  read(name: string): string | undefined;
  oauth: OAuthSource;
  /** How the OAuth settings are named in errors: `confluentcloud:oauth` or `CONFLUENT_CLOUD_OAUTH_*`. */
  oauthName: string;
}

function pairFrom(source: Source): Credentials | undefined {
  const apiKey = source.read(source.keyName);
  const apiSecret = source.read(source.secretName);
  if (apiKey && apiSecret) return { kind: "basic", apiKey, apiSecret };
  if (apiKey || apiSecret) {
    const [present, missing] = apiKey ? [source.keyName, source.secretName] : [source.secretName, source.keyName];
    throw new MissingCredentialsError(
      `Confluent Cloud credentials are incomplete: ${present} is set in the ${source.label} but ${missing} is not. ` +
        `Set both (or neither, to use another source).\n${HOW_TO_SET}`,
    );
  }
  return undefined;
}

/** OAuth of a source, refusing a key pair or a token beside it. */
function oauthOf(source: Source): Credentials | undefined {
  const oauth = oauthFrom(source.oauth);
  if (!oauth) return undefined;
  const others = [source.keyName, source.secretName, source.tokenName].filter((name) => source.read(name) !== undefined);
  if (others.length > 0) {
    throw new InvalidCredentialsError(
      `Confluent Cloud credentials conflict in the ${source.label}: ${source.oauthName} (OAuth) and ${others.join(", ")} are both set. ` +
        `Remove one of them: OAuth acts as the identity pool ${oauth.identityPoolId}, the other as its own principal.`,
    );
  }
  return { kind: "oauth", oauth };
}

function tokenFrom(source: Source): Credentials | undefined {
  const token = source.read(source.tokenName);
  return token ? { kind: "bearer", token } : undefined;
}

function normalizeEndpoint(raw: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${origin} is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`${origin} must be an http(s) URL, got protocol ${url.protocol}`);
  }
  if (url.username || url.password) {
    // Do not echo the value: it embeds credentials.
    throw new Error(`${origin} must not contain credentials (user:password@); use the API key settings instead`);
  }
  if (url.search || url.hash) throw new Error(`${origin} must not contain a query or fragment: ${JSON.stringify(raw)}`);
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

/** The setting names of a source of credentials, as errors and `Settings.source` show them. */
type SourceNames = Pick<Source, "label" | "keyName" | "secretName" | "tokenName" | "oauthName">;

const CONFIG_NAMES: SourceNames = { label: "stack config", keyName: CONFIG_KEY, secretName: CONFIG_SECRET, tokenName: CONFIG_TOKEN, oauthName: OAUTH_CONFIG_KEY };
const ENV_NAMES: SourceNames = { label: "environment", keyName: ENV_KEY, secretName: ENV_SECRET, tokenName: ENV_TOKEN, oauthName: "CONFLUENT_CLOUD_OAUTH_*" };

function sourceOf(names: SourceNames, values: ConfigSource | undefined, oauth: OAuthSource): Source {
  return { ...names, read: (name) => lookup(values, name), oauth };
}

/** Credentials of a source and where they came from. */
interface Found {
  credentials: Credentials;
  source: string;
}

function found(source: Source, settings: string, credentials: Credentials | undefined): Found | undefined {
  return credentials ? { credentials, source: `${source.label} ${settings}` } : undefined;
}

/** The credentials of one source, by precedence within it: OAuth, the key pair, the token. */
function credentialsIn(source: Source): Found | undefined {
  return (
    found(source, source.oauthName, oauthOf(source)) ??
    found(source, `${source.keyName}/${source.secretName}`, pairFrom(source)) ??
    found(source, source.tokenName, tokenFrom(source))
  );
}

function resolveEndpoint(config: ConfigSource | undefined, environment: NodeJS.ProcessEnv): string {
  const configEndpoint = lookup(config, CONFIG_ENDPOINT);
  if (configEndpoint) return normalizeEndpoint(configEndpoint, `stack config ${CONFIG_ENDPOINT}`);
  const envEndpoint = lookup(environment, ENV_ENDPOINT);
  if (envEndpoint) return normalizeEndpoint(envEndpoint, `environment variable ${ENV_ENDPOINT}`);
  return DEFAULT_ENDPOINT;
}

export function resolveSettings(config?: ConfigSource, env?: NodeJS.ProcessEnv): Settings {
  const environment = env ?? process.env;
  const fromConfig = sourceOf(CONFIG_NAMES, config, configOAuthSource(rawLookup(config, OAUTH_CONFIG_KEY)));
  const fromEnv = sourceOf(ENV_NAMES, environment, envOAuthSource(environment));
  const chosen = credentialsIn(fromConfig) ?? credentialsIn(fromEnv);
  if (!chosen) throw new MissingCredentialsError(`Confluent Cloud credentials are missing. ${HOW_TO_SET}`);
  return { endpoint: resolveEndpoint(config, environment), credentials: chosen.credentials, source: chosen.source };
}
