#!/usr/bin/env node
// confluent-emulator: start a local Confluent Cloud private-link-attachment-connection API.
import { parseArgs } from "node:util";
import { DEFAULTS, startEmulator, type Emulator } from "./index";

const USAGE = `Usage: confluent-emulator [options]

  --port N                 port to listen on (default 0: a free port)
  --host H                 address to bind (default 127.0.0.1)
  --quirks                 answer like recorded production bodies instead of the strict schemas
  --gone-as-403            a gone connection answers 403 Forbidden Access, like production (default with --quirks)
  --no-gone-as-403         a gone connection answers 404 (default without --quirks)
  --provisioning-ms N      PROVISIONING -> READY after N ms (default 3000)
  --deprovisioning-ms N    DEPROVISIONING -> gone after N ms (default 1000)
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
  if (!Number.isInteger(n) || n < 0) {
    console.error(`confluent-emulator: --${name} needs a whole number, got '${value}'`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" }, host: { type: "string" }, quirks: { type: "boolean" },
        "gone-as-403": { type: "boolean" }, "no-gone-as-403": { type: "boolean" },
        "provisioning-ms": { type: "string" }, "deprovisioning-ms": { type: "string" },
        "rate-limit": { type: "string" }, "rate-window-ms": { type: "string" },
        "api-key": { type: "string" }, "api-secret": { type: "string" }, "access-token": { type: "string", multiple: true },
        "identity-pool": { type: "string", multiple: true }, "oauth-client": { type: "string", multiple: true },
        "external-token-lifetime-s": { type: "string" }, "sts-token-lifetime-s": { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (e) {
    console.error(`confluent-emulator: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if ((values["api-key"] === undefined) !== (values["api-secret"] === undefined)) {
    console.error("confluent-emulator: --api-key and --api-secret go together");
    process.exit(2);
  }
  if (values["gone-as-403"] && values["no-gone-as-403"]) {
    console.error("confluent-emulator: --gone-as-403 and --no-gone-as-403 exclude each other");
    process.exit(2);
  }
  const goneAs403 = values["gone-as-403"] ? true : values["no-gone-as-403"] ? false : undefined;
  const requests = integer("rate-limit", values["rate-limit"]);
  const windowMs = integer("rate-window-ms", values["rate-window-ms"]);
  const port = integer("port", values.port);
  const clients = values["oauth-client"]?.map((pair) => {
    const colon = pair.indexOf(":");
    if (colon <= 0 || colon === pair.length - 1) {
      console.error("confluent-emulator: --oauth-client needs ID:SECRET (a client id, a colon, a non-empty secret)");
      process.exit(2);
    }
    return { clientId: pair.slice(0, colon), clientSecret: pair.slice(colon + 1) };
  });
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      port,
      host: values.host,
      quirks: values.quirks,
      goneAs403,
      timing: { provisioningMs: integer("provisioning-ms", values["provisioning-ms"]), deprovisioningMs: integer("deprovisioning-ms", values["deprovisioning-ms"]) },
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
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code === "string" && err.syscall === "listen") {
      // The address is taken or not ours: a run-time failure, not a usage error.
      const reason = err.code === "EADDRINUSE" ? "address already in use" : err.code === "EACCES" ? "permission denied" : err.code;
      console.error(`confluent-emulator: cannot listen on ${values.host ?? DEFAULTS.host}:${port ?? DEFAULTS.port}: ${reason} (${err.code})`);
      process.exit(1);
    }
    // Option values startEmulator refuses (e.g. --rate-limit 0, --port 70000).
    console.error(`confluent-emulator: ${err?.message ?? String(e)}\n\n${USAGE}`);
    process.exit(2);
  }
  const env = emulator.environments[0] ?? "";
  const lines = [
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
    `identity pools: ${emulator.oauth.identityPools.join(", ") || "none"}; token lifetimes: identity provider ${emulator.control.oauth().externalTokenLifetimeSeconds} s, STS up to ${emulator.control.oauth().stsTokenLifetimeSeconds} s`,
    `timing: PROVISIONING ${emulator.timing.provisioningMs} ms, DEPROVISIONING ${emulator.timing.deprovisioningMs} ms; rate limit ${emulator.rateLimit.requests} requests / ${emulator.rateLimit.windowMs} ms`,
    `test control: ${emulator.url}/_emulator/info (see README)`,
    `example: curl -u "$CONFLUENT_CLOUD_API_KEY:$CONFLUENT_CLOUD_API_SECRET" "${emulator.url}/networking/v1/private-link-attachment-connections?environment=${env}"`,
    "Press Ctrl+C to stop.",
  ];
  console.log(lines.join("\n"));
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** A value as one POSIX shell word: as is when nothing in it is special, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

void main();
