// Driving the attachment's dynamic provider the way the Pulumi engine does, against an in-process emulator.
import type { Emulator, EmulatorOptions } from "../../emulator";
import { PrivateLinkAttachmentProvider } from "../../provider/attachment/provider";
import type { ProviderOptions } from "../../provider/core/operation";
import { ENV } from "./emulator";
import { ProviderHarness, withProvider, type Props } from "./provider";

export const ATTACHMENTS = "/networking/v1/private-link-attachments";

let counter = 0;

/** Arguments of a new attachment, with a display name of its own. */
export function attachmentArgs(extra: Props = {}): Props {
  return { cloud: "AWS", region: "us-west-2", displayName: `pla-${++counter}`, environment: { id: ENV }, ...extra };
}

export class AttachmentHarness extends ProviderHarness<PrivateLinkAttachmentProvider> {
  constructor(emulator: Emulator, options: ProviderOptions = {}) {
    super(emulator, ATTACHMENTS, (o) => new PrivateLinkAttachmentProvider(o), options);
  }
}

export function withAttachments<T>(options: EmulatorOptions, fn: (h: AttachmentHarness) => Promise<T>, providerOptions: ProviderOptions = {}): Promise<T> {
  return withProvider(AttachmentHarness, options, fn, providerOptions);
}
