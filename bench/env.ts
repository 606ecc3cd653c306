// Points a provider (which reads CONFLUENT_CLOUD_* at call time) at an emulator for the duration of `fn`; used by
// the benchmarks and the chaos schedules, which run one emulator at a time per process.
import type { Emulator } from "../emulator";
import type { ProviderCore, ProviderOptions } from "../provider/core/operation";
import { PrivateLinkAttachmentConnectionProvider } from "../provider/connection/provider";
import type { CheckedInputs } from "../provider/connection/inputs";
import type { PrivateLinkAttachmentProvider } from "../provider/attachment/provider";
import type { CheckedAttachmentInputs } from "../provider/attachment/inputs";

const KEYS = ["CONFLUENT_CLOUD_ENDPOINT", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET"] as const;

/** The emulator's default environment, and its seeded AWS attachment (emulator/options.ts DEFAULTS). */
export const EMULATOR_ENV = "env-emu000";
const EMULATOR_AWS_ATTACHMENT = "platt-emuaws";

/** Runs `fn` with a provider of the kind `Provider` makes, configured to reach `emulator`. */
export async function withProviderOf<P extends ProviderCore, T>(
  emulator: Emulator,
  Provider: new (options: ProviderOptions) => P,
  options: ProviderOptions,
  fn: (p: P) => Promise<T>,
): Promise<T> {
  const saved = KEYS.map((k) => process.env[k]);
  process.env.CONFLUENT_CLOUD_ENDPOINT = emulator.url;
  process.env.CONFLUENT_CLOUD_API_KEY = emulator.credentials.apiKey;
  process.env.CONFLUENT_CLOUD_API_SECRET = emulator.credentials.apiSecret;
  try {
    const provider = new Provider({ log: () => undefined, ...options });
    // An empty stack config, so credentials come from the variables above.
    await provider.configure({ config: { get: () => undefined, require: (key: string) => { throw new Error(`no ${key}`); } } });
    return await fn(provider);
  } finally {
    KEYS.forEach((k, i) => {
      if (saved[i] === undefined) delete process.env[k];
      else process.env[k] = saved[i];
    });
  }
}

/** Runs `fn` with a connection provider configured to reach `emulator`. */
export function withProvider<T>(emulator: Emulator, options: ProviderOptions, fn: (p: PrivateLinkAttachmentConnectionProvider) => Promise<T>): Promise<T> {
  return withProviderOf(emulator, PrivateLinkAttachmentConnectionProvider, options, fn);
}

let counter = 0;

/** A fresh, valid AWS endpoint id, unique in this process. */
function nextVpcEndpointId(): string {
  return `vpce-${(++counter).toString(16).padStart(17, "0")}`;
}

/** Checked inputs for a fresh AWS connection on the emulator's default AWS attachment. */
export async function awsInputs(provider: PrivateLinkAttachmentConnectionProvider, displayName: string): Promise<CheckedInputs> {
  const { inputs, failures } = await provider.check({}, {
    displayName,
    environment: { id: EMULATOR_ENV },
    privateLinkAttachment: { id: EMULATOR_AWS_ATTACHMENT },
    aws: { vpcEndpointId: nextVpcEndpointId() },
  });
  if (failures?.length) throw new Error(`check failed: ${JSON.stringify(failures)}`);
  return inputs as CheckedInputs;
}

/** The body of a POST that creates the same AWS connection as awsInputs, as another client sends it. */
export function awsConnectionBody(displayName: string): Record<string, unknown> {
  return {
    spec: {
      display_name: displayName,
      cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: nextVpcEndpointId() },
      environment: { id: EMULATOR_ENV },
      private_link_attachment: { id: EMULATOR_AWS_ATTACHMENT },
    },
  };
}

/** Checked inputs for a new AWS attachment in us-east-1, in the emulator's default environment. */
export async function awsAttachmentInputs(provider: PrivateLinkAttachmentProvider, displayName: string): Promise<CheckedAttachmentInputs> {
  const checked = await provider.check({}, { displayName, cloud: "AWS", region: "us-east-1", environment: { id: EMULATOR_ENV } });
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  return checked.inputs as CheckedAttachmentInputs;
}

/** The body of a POST that creates the same attachment as awsAttachmentInputs, as another client sends it. */
export function awsAttachmentBody(displayName: string): Record<string, unknown> {
  return { spec: { display_name: displayName, cloud: "AWS", region: "us-east-1", environment: { id: EMULATOR_ENV } } };
}
