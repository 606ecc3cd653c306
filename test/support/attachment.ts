// Driving the attachment's dynamic provider the way the Pulumi engine does, against an in-process emulator.
import assert from "node:assert/strict";
import { startEmulator, type Emulator, type EmulatorOptions, type LoggedRequest } from "../../emulator";
import { PrivateLinkAttachmentProvider } from "../../provider/attachment/provider";
import type { ProviderOptions } from "../../provider/core/operation";
import { ENV } from "./emulator";
import { configRequest, FAST_POLL, PROVIDER_MARKER, type LogLine, type Props } from "./provider";

export const ATTACHMENTS = "/networking/v1/private-link-attachments";

let counter = 0;

/** Arguments of a new attachment, with a display name of its own. */
export function attachmentArgs(extra: Props = {}): Props {
  return { cloud: "AWS", region: "us-west-2", displayName: `pla-${++counter}`, environment: { id: ENV }, ...extra };
}

export class AttachmentHarness {
  readonly lines: LogLine[] = [];
  readonly provider: PrivateLinkAttachmentProvider;

  constructor(readonly emulator: Emulator, options: ProviderOptions = {}) {
    this.provider = new PrivateLinkAttachmentProvider({ pollPolicy: FAST_POLL, log: (level, line) => this.lines.push({ level, line }), ...options });
  }

  get control() {
    return this.emulator.control;
  }

  async configure(): Promise<void> {
    await this.provider.configure(configRequest({
      "confluentcloud:cloudApiKey": this.emulator.credentials.apiKey,
      "confluentcloud:cloudApiSecret": this.emulator.credentials.apiSecret,
      "confluentcloud:endpoint": this.emulator.url,
    }));
  }

  async check(args: Props): Promise<Props> {
    const { inputs, failures } = await this.provider.check({}, { __provider: PROVIDER_MARKER, ...args });
    assert.deepEqual(failures, [], "check failures");
    return inputs;
  }

  async create(args: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
    const inputs = await this.check(args);
    const { id, outs } = await this.provider.create(inputs);
    return { id, outs: outs as Props, inputs };
  }

  static state(outs: Props): Props {
    return { ...outs, __provider: PROVIDER_MARKER };
  }

  requests(method?: string): LoggedRequest[] {
    return this.control.requests().filter((r) => (r.route ?? "").startsWith(ATTACHMENTS) && (method === undefined || r.method === method));
  }
}

export async function withAttachments<T>(options: EmulatorOptions, fn: (h: AttachmentHarness) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({
    timing: { provisioningMs: 100, deprovisioningMs: 100 },
    attachmentTiming: { provisioningMs: 150, deprovisioningMs: 100, expiryMs: 7 * 24 * 3_600_000 },
    ...options,
  });
  try {
    const h = new AttachmentHarness(emulator);
    await h.configure();
    return await fn(h);
  } finally {
    await emulator.close();
  }
}
