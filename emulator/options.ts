// Options of the emulator and their documented defaults.

/** The longest STS token Confluent issues (expires_in maximum of the STS API). */
export const STS_MAX_LIFETIME_SECONDS = 900;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthLifetimes {
  /** Lifetime of the identity provider's tokens (its expires_in). */
  externalTokenLifetimeSeconds: number;
  /** Longest STS token issued: min(requested expires_in, this). At most 900. */
  stsTokenLifetimeSeconds: number;
}

export interface OAuthSettings extends OAuthLifetimes {
  identityPools: string[];
  clients: OAuthClient[];
}

export type CloudName = "AWS" | "AZURE" | "GCP";

export interface AttachmentSeed {
  id: string;
  environmentId: string;
  cloud: CloudName;
  region: string;
  displayName?: string;
}

export interface Timing {
  /** How long a new connection stays PROVISIONING before it turns READY. */
  provisioningMs: number;
  /** How long a deleted connection shows DEPROVISIONING before reads answer 404. */
  deprovisioningMs: number;
}

/** The lifecycle of the private link attachments the API creates (seeded ones start provisioned). */
export interface AttachmentTiming {
  /** How long a new attachment stays PROVISIONING before it turns WAITING_FOR_CONNECTIONS. */
  provisioningMs: number;
  /** How long a deleted attachment shows DEPROVISIONING before reads answer 404 (403 with goneAs403). */
  deprovisioningMs: number;
  /** How long an attachment made through the API waits for its first connection before it turns EXPIRED. */
  expiryMs: number;
}

/** What DELETE does to an attachment that still has connections: refuse with a 409, or delete them with it. */
export type AttachmentDeletion = "conflict" | "cascade";

export interface RateLimit {
  /** Requests allowed per window, shared by every caller whatever its credential. */
  requests: number;
  windowMs: number;
  /**
   * Whether answers carry `X-RateLimit-Limit|Remaining|Reset` (default true, as Confluent sends them). false: none
   * does, a 429 included (which keeps `Retry-After`), like an API behind a gateway that strips them.
   */
  headers?: boolean;
}

export interface Clock {
  now(): number;
}

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  credentials?: { apiKey: string; apiSecret: string };
  accessTokens?: string[];
  environments?: string[];
  privateLinkAttachments?: AttachmentSeed[];
  timing?: Partial<Timing>;
  attachmentTiming?: Partial<AttachmentTiming>;
  /** DELETE of an attachment that still has connections (default "conflict": 409 naming them). */
  attachmentDeletion?: AttachmentDeletion;
  rateLimit?: RateLimit;
  /** Answer like the recorded production bodies instead of the strict schemas. */
  quirks?: boolean;
  /**
   * Answer 403 `Forbidden Access` instead of 404 for a connection that is gone (deleted, never existed, or of
   * another environment), as production does: Confluent hides what the caller cannot see. Default: on in quirks
   * mode, off otherwise.
   */
  goneAs403?: boolean;
  /**
   * OAuth: the identity pools the STS knows, the clients its identity provider (`POST /_emulator/oauth2/token`)
   * accepts, and the lifetimes of the tokens both issue.
   */
  oauth?: Partial<OAuthSettings>;
  /** Time source for the lifecycle, the rate-limit window and token expiry (default: wall clock). */
  clock?: Clock;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  credentials: { apiKey: string; apiSecret: string };
  accessTokens: string[];
  environments: string[];
  privateLinkAttachments: AttachmentSeed[];
  timing: Timing;
  attachmentTiming: AttachmentTiming;
  attachmentDeletion: AttachmentDeletion;
  rateLimit: RateLimit;
  quirks: boolean;
  /** Set explicitly; undefined follows quirks (see goneAs403Of). */
  goneAs403?: boolean;
  oauth: OAuthSettings;
  clock: Clock;
}

const DEFAULT_ENVIRONMENT = "env-emu000";

export const DEFAULTS: ResolvedOptions = {
  port: 0,
  host: "127.0.0.1",
  credentials: { apiKey: "EMULATORAPIKEY00", apiSecret: "emulator-api-secret-0000000000000000000000000000000000000000000000" },
  accessTokens: ["emulator-access-token"],
  environments: [DEFAULT_ENVIRONMENT],
  privateLinkAttachments: [
    { id: "platt-emuaws", environmentId: DEFAULT_ENVIRONMENT, cloud: "AWS", region: "us-east-1", displayName: "emulator-aws-us-east-1" },
    { id: "platt-emuazure", environmentId: DEFAULT_ENVIRONMENT, cloud: "AZURE", region: "eastus", displayName: "emulator-azure-eastus" },
    { id: "platt-emugcp", environmentId: DEFAULT_ENVIRONMENT, cloud: "GCP", region: "us-central1", displayName: "emulator-gcp-us-central1" },
  ],
  timing: { provisioningMs: 3000, deprovisioningMs: 1000 },
  attachmentTiming: { provisioningMs: 3000, deprovisioningMs: 1000, expiryMs: 7 * 24 * 3_600_000 },
  attachmentDeletion: "conflict",
  rateLimit: { requests: 600, windowMs: 60_000 },
  quirks: false,
  oauth: {
    identityPools: ["pool-emu000"],
    clients: [{ clientId: "emulator-oauth-client", clientSecret: "emulator-oauth-client-secret-00000000000000000000000000000000" }],
    externalTokenLifetimeSeconds: 3600,
    stsTokenLifetimeSeconds: STS_MAX_LIFETIME_SECONDS,
  },
  clock: { now: () => Date.now() },
};

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const environments = options.environments ?? DEFAULTS.environments;
  const attachments = options.privateLinkAttachments ?? (options.environments ? [] : DEFAULTS.privateLinkAttachments);
  const resolved: ResolvedOptions = {
    port: options.port ?? DEFAULTS.port,
    host: options.host ?? DEFAULTS.host,
    credentials: { ...(options.credentials ?? DEFAULTS.credentials) },
    accessTokens: [...(options.accessTokens ?? DEFAULTS.accessTokens)],
    environments: [...new Set([...environments, ...attachments.map((a) => a.environmentId)])],
    privateLinkAttachments: attachments.map((a) => ({ ...a })),
    timing: {
      provisioningMs: options.timing?.provisioningMs ?? DEFAULTS.timing.provisioningMs,
      deprovisioningMs: options.timing?.deprovisioningMs ?? DEFAULTS.timing.deprovisioningMs,
    },
    attachmentTiming: {
      provisioningMs: options.attachmentTiming?.provisioningMs ?? DEFAULTS.attachmentTiming.provisioningMs,
      deprovisioningMs: options.attachmentTiming?.deprovisioningMs ?? DEFAULTS.attachmentTiming.deprovisioningMs,
      expiryMs: options.attachmentTiming?.expiryMs ?? DEFAULTS.attachmentTiming.expiryMs,
    },
    attachmentDeletion: options.attachmentDeletion ?? DEFAULTS.attachmentDeletion,
    rateLimit: { ...(options.rateLimit ?? DEFAULTS.rateLimit) },
    quirks: options.quirks ?? DEFAULTS.quirks,
    ...(options.goneAs403 !== undefined ? { goneAs403: options.goneAs403 } : {}),
    oauth: {
      identityPools: [...(options.oauth?.identityPools ?? DEFAULTS.oauth.identityPools)],
      clients: (options.oauth?.clients ?? DEFAULTS.oauth.clients).map((c: OAuthClient) => ({ ...c })),
      externalTokenLifetimeSeconds: options.oauth?.externalTokenLifetimeSeconds ?? DEFAULTS.oauth.externalTokenLifetimeSeconds,
      stsTokenLifetimeSeconds: options.oauth?.stsTokenLifetimeSeconds ?? DEFAULTS.oauth.stsTokenLifetimeSeconds,
    },
    clock: options.clock ?? DEFAULTS.clock,
  };
  assertSane(resolved);
  return resolved;
}

/** Whether a gone connection answers 403: as set, else as quirks mode is (production answers 403). */
export function goneAs403Of(o: Pick<ResolvedOptions, "quirks" | "goneAs403">): boolean {
  return o.goneAs403 ?? o.quirks;
}

function assertSane(o: ResolvedOptions): void {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`emulator: port must be 0..65535, got ${o.port}`);
  if (!(o.rateLimit.requests >= 1) || !(o.rateLimit.windowMs >= 1)) throw new Error("emulator: rateLimit needs requests >= 1 and windowMs >= 1");
  if (o.rateLimit.headers !== undefined && typeof o.rateLimit.headers !== "boolean") throw new Error("emulator: rateLimit.headers must be true or false");
  if (o.goneAs403 !== undefined && typeof o.goneAs403 !== "boolean") throw new Error("emulator: goneAs403 must be true or false");
  if (!(o.timing.provisioningMs >= 0) || !(o.timing.deprovisioningMs >= 0)) throw new Error("emulator: timing values must be >= 0");
  if (!Object.values(o.attachmentTiming).every((v) => typeof v === "number" && v >= 0)) throw new Error("emulator: attachmentTiming values must be >= 0");
  if (!["conflict", "cascade"].includes(o.attachmentDeletion)) throw new Error('emulator: attachmentDeletion must be "conflict" or "cascade"');
  assertLifetimes(o.oauth);
  for (const c of o.oauth.clients) {
    if (typeof c?.clientId !== "string" || c.clientId === "" || typeof c.clientSecret !== "string" || c.clientSecret === "") {
      throw new Error("emulator: every oauth client needs a non-empty clientId and clientSecret");
    }
  }
  if (o.oauth.identityPools.some((p) => typeof p !== "string" || p === "")) throw new Error("emulator: identity pool ids must be non-empty strings");
  for (const a of o.privateLinkAttachments) {
    if (!["AWS", "AZURE", "GCP"].includes(a.cloud)) throw new Error(`emulator: attachment ${a.id}: cloud must be AWS, AZURE or GCP`);
  }
}

/** Token lifetimes in whole seconds: external ≥ 1, STS 1..900. */
export function assertLifetimes(l: { externalTokenLifetimeSeconds?: unknown; stsTokenLifetimeSeconds?: unknown }): void {
  const whole = (v: unknown, max: number) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= max;
  if (l.externalTokenLifetimeSeconds !== undefined && !whole(l.externalTokenLifetimeSeconds, 10 * 365 * 86_400)) {
    throw new Error("emulator: oauth.externalTokenLifetimeSeconds must be a whole number of seconds >= 1");
  }
  if (l.stsTokenLifetimeSeconds !== undefined && !whole(l.stsTokenLifetimeSeconds, STS_MAX_LIFETIME_SECONDS)) {
    throw new Error(`emulator: oauth.stsTokenLifetimeSeconds must be a whole number of seconds in 1..${STS_MAX_LIFETIME_SECONDS}`);
  }
}
