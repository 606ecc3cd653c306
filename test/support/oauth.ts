// A provider with only OAuth settings, against the emulator's identity provider and STS: the client and identity pool
// the emulator knows, the `confluentcloud:oauth` object and the CONFLUENT_CLOUD_OAUTH_* variables made of them, and
// a harness of either kind configured with nothing else.
import type { Emulator, EmulatorOptions } from "../../emulator";
import type { ProviderOptions } from "../../provider/core/operation";
import { configRequest, withEnv, withProvider, type DrivenProvider, type ENV_VARS, type ProviderHarness } from "./provider";

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

/**
 * Runs fn with a harness (`Harness` or `AttachmentHarness`) whose provider has only `confluentcloud:oauth` (plus
 * `extra` in it) in its stack config, and no CONFLUENT_CLOUD_* variable set, on an emulator knowing CLIENT and POOL.
 */
export function withOAuth<H extends ProviderHarness<DrivenProvider>, T>(
  harness: new (emulator: Emulator, options?: ProviderOptions) => H,
  options: EmulatorOptions,
  fn: (h: H) => Promise<T>,
  providerOptions: ProviderOptions = {},
  extra: Record<string, unknown> = {},
): Promise<T> {
  const emulator = { ...options, oauth: { identityPools: [POOL], clients: [CLIENT], ...options.oauth } };
  return withProvider(harness, emulator, (h) => withEnv({}, async () => {
    await h.provider.configure(configRequest(oauthConfig(h.emulator, extra)));
    return fn(h);
  }), providerOptions);
}

/** How many requests reached a route (the identity provider's, the STS's, an API route), with a status if given. */
export function byRoute(h: { emulator: Emulator }, route: string, status?: number): number {
  return h.emulator.control.requests().filter((r) => r.route === route && (status === undefined || r.status === status)).length;
}
