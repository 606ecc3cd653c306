// A provider with only OAuth settings, against the emulator's identity provider and STS: the client and identity pool
// the emulator knows, the `confluentcloud:oauth` object and the CONFLUENT_CLOUD_OAUTH_* variables made of them, and
// a harness of either kind configured with nothing else.
import type * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import type { ProviderOptions } from "../../provider/core/operation";
import { configRequest, withEnv, type ENV_VARS } from "./provider";

export const IDP = "/_emulator/oauth2/token";
export const STS = "/sts/v1/oauth2/token";
export const CLIENT = { clientId: "pulumi-ci", clientSecret: "pulumi-ci-client-secret-canary-5e4d" };
export const POOL = "pool-pulumi";

/** The object a user sets with `pulumi config set --path confluentcloud:oauth.…`. */
export function oauthObject(emulator: Emulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    oauthExternalTokenUrl: emulator.oauth.tokenUrl,
    oauthExternalClientId: CLIENT.clientId,
    oauthExternalClientSecret: CLIENT.clientSecret,
    oauthIdentityPoolId: POOL,
    ...extra,
  };
}

/** The stack config as `configure` receives it: structured values are JSON text, as the engine sends them. */
export function oauthConfig(emulator: Emulator, extra: Record<string, unknown> = {}): Record<string, string> {
  return { "confluentcloud:oauth": JSON.stringify(oauthObject(emulator, extra)), "confluentcloud:endpoint": emulator.url };
}

/** The same settings as CONFLUENT_CLOUD_OAUTH_* variables, with the endpoint, for withEnv. */
export function oauthEnv(emulator: Emulator): Partial<Record<(typeof ENV_VARS)[number], string>> {
  return {
    CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL: emulator.oauth.tokenUrl,
    CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID: CLIENT.clientId,
    CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET: CLIENT.clientSecret,
    CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID: POOL,
    CONFLUENT_CLOUD_ENDPOINT: emulator.url,
  };
}

/** A test harness of either kind: its provider, on an emulator. */
interface OAuthHarness {
  readonly emulator: Emulator;
  readonly provider: { configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> };
}

/**
 * Runs fn with a harness (`Harness` or `AttachmentHarness`) whose provider has only `confluentcloud:oauth` (plus
 * `extra` in it) in its stack config, and no CONFLUENT_CLOUD_* variable set, on an emulator knowing CLIENT and POOL.
 */
export async function withOAuth<H extends OAuthHarness, T>(
  harness: new (emulator: Emulator, options?: ProviderOptions) => H,
  options: EmulatorOptions,
  fn: (h: H) => Promise<T>,
  providerOptions: ProviderOptions = {},
  extra: Record<string, unknown> = {},
): Promise<T> {
  const emulator = await startEmulator({
    timing: { provisioningMs: 100, deprovisioningMs: 100 },
    attachmentTiming: { provisioningMs: 150, deprovisioningMs: 100 },
    ...options,
    oauth: { identityPools: [POOL], clients: [CLIENT], ...options.oauth },
  });
  try {
    const h = new harness(emulator, providerOptions);
    return await withEnv({}, async () => {
      await h.provider.configure(configRequest(oauthConfig(emulator, extra)));
      return fn(h);
    });
  } finally {
    await emulator.close();
  }
}

/** How many requests reached a route (the identity provider's, the STS's, an API route), with a status if given. */
export function byRoute(h: { emulator: Emulator }, route: string, status?: number): number {
  return h.emulator.control.requests().filter((r) => r.route === route && (status === undefined || r.status === status)).length;
}
