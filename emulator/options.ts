// Options of the emulator and their documented defaults.

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

export interface RateLimit {
  /** Requests allowed per window, shared by every caller whatever its credential. */
  requests: number;
  windowMs: number;
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
  rateLimit?: RateLimit;
  /** Answer like the recorded production bodies instead of the strict schemas. */
  quirks?: boolean;
  /**
   * Answer 403 `Forbidden Access` instead of 404 for a connection that is gone (deleted, never existed, or of
   * another environment), as production does: Confluent hides what the caller cannot see. Default: on in quirks
   * mode, off otherwise.
   */
  goneAs403?: boolean;
  /** Time source for the lifecycle and the rate-limit window (default: wall clock). */
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
  rateLimit: RateLimit;
  quirks: boolean;
  /** Set explicitly; undefined follows quirks (see goneAs403Of). */
  goneAs403?: boolean;
  clock: Clock;
}

export const DEFAULT_ENVIRONMENT = "env-emu000";

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
  rateLimit: { requests: 600, windowMs: 60_000 },
  quirks: false,
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
    rateLimit: { ...(options.rateLimit ?? DEFAULTS.rateLimit) },
    quirks: options.quirks ?? DEFAULTS.quirks,
    ...(options.goneAs403 !== undefined ? { goneAs403: options.goneAs403 } : {}),
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
  if (o.goneAs403 !== undefined && typeof o.goneAs403 !== "boolean") throw new Error("emulator: goneAs403 must be true or false");
  if (!(o.timing.provisioningMs >= 0) || !(o.timing.deprovisioningMs >= 0)) throw new Error("emulator: timing values must be >= 0");
  for (const a of o.privateLinkAttachments) {
    if (!["AWS", "AZURE", "GCP"].includes(a.cloud)) throw new Error(`emulator: attachment ${a.id}: cloud must be AWS, AZURE or GCP`);
  }
}
