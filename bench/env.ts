// Points the provider (which reads CONFLUENT_CLOUD_* at call time) at an emulator for the duration of `fn`; used by
// the benchmarks and the chaos schedules, which run one emulator at a time per process.
import type { Emulator } from "../emulator";
import { PrivateLinkAttachmentConnectionProvider, type ProviderOptions } from "../provider/connection/provider";
import type { CheckedInputs } from "../provider/connection/inputs";

const KEYS = ["CONFLUENT_CLOUD_ENDPOINT", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET"] as const;

export async function withProvider<T>(emulator: Emulator, options: ProviderOptions, fn: (p: PrivateLinkAttachmentConnectionProvider) => Promise<T>): Promise<T> {
  const saved = KEYS.map((k) => process.env[k]);
  process.env.CONFLUENT_CLOUD_ENDPOINT = emulator.url;
  process.env.CONFLUENT_CLOUD_API_KEY = emulator.credentials.apiKey;
  process.env.CONFLUENT_CLOUD_API_SECRET = emulator.credentials.apiSecret;
  try {
    const provider = new PrivateLinkAttachmentConnectionProvider({ log: () => undefined, ...options });
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

let counter = 0;

/** A fresh, valid AWS endpoint id, unique in this process. */
export function nextVpcEndpointId(): string {
  return `vpce-${(++counter).toString(16).padStart(17, "0")}`;
}

/** Checked inputs for a fresh AWS connection on the emulator's default AWS attachment. */
export async function awsInputs(provider: PrivateLinkAttachmentConnectionProvider, displayName: string): Promise<CheckedInputs> {
  const { inputs, failures } = await provider.check({}, {
    displayName,
    environment: { id: "env-emu000" },
    privateLinkAttachment: { id: "platt-emuaws" },
    aws: { vpcEndpointId: nextVpcEndpointId() },
  });
  if (failures?.length) throw new Error(`check failed: ${JSON.stringify(failures)}`);
  return inputs as CheckedInputs;
}
