#!/usr/bin/env node
// confluent-emulator: start a local Confluent Cloud private link attachment (and connection) API.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { DEFAULTS, startEmulator, type Emulator, type EmulatorOptions, type OAuthClient } from "./index";

const USAGE = `Usage: confluent-emulator [options]

  --port N                 port to listen on (default 0: a free port)
  --host H                 address to bind (default 127.0.0.1)
  --quirks                 answer like recorded production bodies instead of the strict schemas
  --gone-as-403            a gone connection answers 403 Forbidden Access, like production (default with --quirks)
  --no-gone-as-403         a gone connection answers 404 (default without --quirks)
  --provisioning-ms N      PROVISIONING -> READY after N ms (default 3000)
  --deprovisioning-ms N    DEPROVISIONING -> gone after N ms (default 1000)
  --attachment-provisioning-ms N    a new attachment: PROVISIONING -> WAITING_FOR_CONNECTIONS after N ms (default 3000)
  --attachment-deprovisioning-ms N  a deleted attachment: DEPROVISIONING -> gone after N ms (default 1000)
  --attachment-expiry-ms N          a new attachment without a connection: EXPIRED after N ms (default 604800000, 7 days)
  --attachment-deletion conflict|cascade  DELETE of an attachment with connections: 409 (default) or delete them too
  --rate-limit N           requests per window, shared by all callers (default 600)
  --rate-window-ms N       rate-limit window (default 60000)
  --api-key K --api-secret S   accepted Cloud API key (defaults printed at start)
  --access-token T         accepted bearer token (repeatable)
  --identity-pool ID       identity pool the STS exchanges tokens for (repeatable; default pool-emu000)
  --oauth-client ID:SECRET client the identity provider accepts (repeatable; default printed at start)
  --external-token-lifetime-s N   lifetime of the identity provider's tokens (default 3600)
  --sts-token-lifetime-s N        longest STS token issued, 1..900 (default 900)
  --help`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Digits only: Number() would also take "", " 1", "1e3" and "0x10".
  const n = /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) usageError(`--${name} needs a whole number, got '${value}'`);
  return n;
}

const OPTIONS = {
  port: { type: "string" }, host: { type: "string" }, quirks: { type: "boolean" },
  "gone-as-403": { type: "boolean" }, "no-gone-as-403": { type: "boolean" },
  "provisioning-ms": { type: "string" }, "deprovisioning-ms": { type: "string" },
  "attachment-provisioning-ms": { type: "string" }, "attachment-deprovisioning-ms": { type: "string" },
  "attachment-expiry-ms": { type: "string" }, "attachment-deletion": { type: "string" },
  "rate-limit": { type: "string" }, "rate-window-ms": { type: "string" },
  "api-key": { type: "string" }, "api-secret": { type: "string" }, "access-token": { type: "string", multiple: true },
  "identity-pool": { type: "string", multiple: true }, "oauth-client": { type: "string", multiple: true },
  "external-token-lifetime-s": { type: "string" }, "sts-token-lifetime-s": { type: "string" },
  help: { type: "boolean" },
} as const satisfies ParseArgsOptionsConfig;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];

function usageError(message: string): never {
  console.error(`confluent-emulator: ${message}`);
  process.exit(2);
}

function parseCommandLine(): Values {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (e) {
    return usageError(`${(e as Error).message}\n\n${USAGE}`);
  }
}

/** The options the command line asks for; exits 2 on the first value that cannot be used. */
function emulatorOptions(values: Values): EmulatorOptions {
  if ((values["api-key"] === undefined) !== (values["api-secret"] === undefined)) usageError("--api-key and --api-secret go together");
  if (values["gone-as-403"] && values["no-gone-as-403"]) usageError("--gone-as-403 and --no-gone-as-403 exclude each other");
  const goneAs403 = values["gone-as-403"] ? true : values["no-gone-as-403"] ? false : undefined;
  const requests = integer("rate-limit", values["rate-limit"]);
  const windowMs = integer("rate-window-ms", values["rate-window-ms"]);
  const port = integer("port", values.port);
  const clients = values["oauth-client"]?.map(oauthClient);
  const deletion = values["attachment-deletion"];
  if (deletion !== undefined && deletion !== "conflict" && deletion !== "cascade") usageError(`--attachment-deletion needs conflict or cascade, got '${deletion}'`);
  return {
    port,
    host: values.host,
    quirks: values.quirks,
    goneAs403,
    timing: { provisioningMs: integer("provisioning-ms", values["provisioning-ms"]), deprovisioningMs: integer("deprovisioning-ms", values["deprovisioning-ms"]) },
    attachmentTiming: {
      provisioningMs: integer("attachment-provisioning-ms", values["attachment-provisioning-ms"]),
      deprovisioningMs: integer("attachment-deprovisioning-ms", values["attachment-deprovisioning-ms"]),
      expiryMs: integer("attachment-expiry-ms", values["attachment-expiry-ms"]),
    },
    attachmentDeletion: deletion,
    rateLimit: requests !== undefined || windowMs !== undefined
      ? { requests: requests ?? DEFAULTS.rateLimit.requests, windowMs: windowMs ?? DEFAULTS.rateLimit.windowMs }
      : undefined,
    credentials: values["api-key"] !== undefined ? { apiKey: values["api-key"], apiSecret: values["api-secret"]! } : undefined,
    accessTokens: values["access-token"],
    oauth: {
      identityPools: values["identity-pool"],
      clients,
      externalTokenLifetimeSeconds: integer("external-token-lifetime-s", values["external-token-lifetime-s"]),
      stsTokenLifetimeSeconds: integer("sts-token-lifetime-s", values["sts-token-lifetime-s"]),
    },
  };
}

function oauthClient(pair: string): OAuthClient {
  const colon = pair.indexOf(":");
  if (colon <= 0 || colon === pair.length - 1) usageError("--oauth-client needs ID:SECRET (a client id, a colon, a non-empty secret)");
  return { clientId: pair.slice(0, colon), clientSecret: pair.slice(colon + 1) };
}

/** Starts the emulator, or exits: 1 when the address cannot be listened on, 2 for option values it refuses. */
async function start(options: EmulatorOptions): Promise<Emulator> {
  try {
    return await startEmulator(options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code === "string" && err.syscall === "listen") {
      // The address is taken or not ours: a run-time failure, not a usage error.
      const reason = err.code === "EADDRINUSE" ? "address already in use" : err.code === "EACCES" ? "permission denied" : err.code;
      console.error(`confluent-emulator: cannot listen on ${options.host ?? DEFAULTS.host}:${options.port ?? DEFAULTS.port}: ${reason} (${err.code})`);
      process.exit(1);
    }
    // Option values startEmulator refuses (e.g. --rate-limit 0, --port 70000).
    return usageError(`${err?.message ?? String(e)}\n\n${USAGE}`);
  }
}

/** What the emulator prints at start: where it listens, what to paste into a shell, and what it holds. */
function banner(emulator: Emulator): string[] {
  const env = emulator.environments[0] ?? "";
  const oauth = emulator.control.oauth();
  const at = emulator.attachmentTiming;
  return [
    `Confluent Cloud emulator listening on ${emulator.url}${emulator.quirks ? " (quirks mode)" : ""}`,
    `a connection that is gone answers ${emulator.goneAs403 ? "403 Forbidden Access (like production)" : "404"}`,
    "",
    "# paste into your shell:",
    `export CONFLUENT_CLOUD_ENDPOINT=${shellWord(emulator.url)}`,
    `export CONFLUENT_CLOUD_API_KEY=${shellWord(emulator.credentials.apiKey)}`,
    `export CONFLUENT_CLOUD_API_SECRET=${shellWord(emulator.credentials.apiSecret)}`,
    ...emulator.accessTokens.map((t) => `# or a bearer token: export CONFLUENT_CLOUD_ACCESS_TOKEN=${shellWord(t)}`),
    "# or OAuth through the emulator's identity provider and STS (instead of the key pair, not with it):",
    `#   export CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL=${shellWord(emulator.oauth.tokenUrl)}`,
    `#   export CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID=${shellWord(emulator.oauth.clients[0]?.clientId ?? "")}`,
    `#   export CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET=${shellWord(emulator.oauth.clients[0]?.clientSecret ?? "")}`,
    `#   export CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID=${shellWord(emulator.oauth.identityPools[0] ?? "")}`,
    "",
    `environments: ${emulator.environments.join(", ")}`,
    ...emulator.privateLinkAttachments.map((a) => `private link attachment: ${a.id}  ${a.cloud} ${a.region}  (environment ${a.environmentId})`),
    `identity pools: ${emulator.oauth.identityPools.join(", ") || "none"}; token lifetimes: identity provider ${oauth.externalTokenLifetimeSeconds} s, STS up to ${oauth.stsTokenLifetimeSeconds} s`,
    `timing: PROVISIONING ${emulator.timing.provisioningMs} ms, DEPROVISIONING ${emulator.timing.deprovisioningMs} ms; rate limit ${emulator.rateLimit.requests} requests / ${emulator.rateLimit.windowMs} ms`,
    `new attachments: PROVISIONING ${at.provisioningMs} ms, DEPROVISIONING ${at.deprovisioningMs} ms, EXPIRED after ${at.expiryMs} ms without a connection; DELETE with connections: ${emulator.attachmentDeletion}`,
    `test control: ${emulator.url}/_emulator/info (see README)`,
    `example: curl -u "$CONFLUENT_CLOUD_API_KEY:$CONFLUENT_CLOUD_API_SECRET" "${emulator.url}/networking/v1/private-link-attachment-connections?environment=${env}"`,
    "Press Ctrl+C to stop.",
  ];
}

async function main(): Promise<void> {
  const values = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await start(emulatorOptions(values));
  console.log(banner(emulator).join("\n"));
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** A value as one POSIX shell word: as is when nothing in it is special, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

void main();
