// The kinds the READY-detection benchmark (polling.ts) measures, each as what the measurement needs of it: our
// create of one, how the emulator is told how long the next one provisions and tells when it began to serve, and
// the Terraform provider's create wait for it.
import type { Emulator } from "../emulator";
import { PrivateLinkAttachmentProvider } from "../provider/attachment/provider";
import type { ScaledClock } from "./clock";
import { awsAttachmentBody, awsAttachmentInputs, awsConnectionBody, awsInputs, withProvider, withProviderOf } from "./env";

export type KindName = "connection" | "attachment";

/**
 * A create wait of the Terraform provider, as its `resource.StateChangeConf` declares it. terraform-plugin-sdk
 * sleeps Delay, reads, then reads every PollInterval (used as is under 180 s) until a Target phase, failing on any
 * phase neither Pending nor Target (WaitForStateContext in
 * https://github.com/hashicorp/terraform-plugin-sdk/blob/main/helper/retry/state.go).
 */
export interface TerraformWait {
  delayMs: number;
  pollIntervalMs: number;
  pending: readonly string[];
  target: readonly string[];
}

export interface ReadyKind {
  name: KindName;
  /** The API's collection of this kind. */
  collection: string;
  /** The body of the POST Terraform's create sends. */
  terraformBody(): Record<string, unknown>;
  terraformWait: TerraformWait;
  /** Makes what `emulator` creates from now on provision for `ms`. */
  provisionFor(emulator: Emulator, ms: number): void;
  /** How many the emulator holds (it grows as a POST lands). */
  count(emulator: Emulator): number;
  /** When the emulator began to serve `id` (what our create and Terraform's wait for); null if it does not. */
  servingAtMs(emulator: Emulator, id: string): number | null;
  /** Runs `fn` with our create of one, on a provider configured for `emulator` and waiting on `clock`. */
  withCreate<T>(emulator: Emulator, clock: ScaledClock, fn: (create: () => Promise<string>) => Promise<T>): Promise<T>;
}

// The Terraform provider declares both create waits in internal/provider/utils_wait.go, "UTILS_WAIT" below:
// https://github.com/confluentinc/terraform-provider-confluent/blob/0179fbee89d7523d9ef4fa70c90d1efdfcd5126c/internal/provider/utils_wait.go
const FIVE_SECONDS = 5_000;
const ONE_MINUTE = 60_000;

export const CONNECTION: ReadyKind = {
  name: "connection",
  collection: "/networking/v1/private-link-attachment-connections",
  terraformBody: () => awsConnectionBody("terraform"),
  // waitForPrivateLinkAttachmentConnectionToProvision: Delay 5 * time.Second, PollInterval 1 * time.Minute,
  // Pending PROVISIONING, Target READY, in internal/provider/utils_wait.go (UTILS_WAIT).
  terraformWait: { delayMs: FIVE_SECONDS, pollIntervalMs: ONE_MINUTE, pending: ["PROVISIONING"], target: ["READY"] },
  provisionFor: (emulator, ms) => emulator.control.configure({ timing: { provisioningMs: ms } }),
  count: (emulator) => emulator.control.connections().length,
  servingAtMs: (emulator, id) => emulator.control.connection(id)?.readyAtMs ?? null,
  withCreate: (emulator, clock, fn) => withProvider(emulator, { clock }, (provider) =>
    fn(async () => (await provider.create(await awsInputs(provider, "ours"))).id)),
};

export const ATTACHMENT: ReadyKind = {
  name: "attachment",
  collection: "/networking/v1/private-link-attachments",
  terraformBody: () => awsAttachmentBody("terraform"),
  // waitForPrivateLinkAttachmentToProvision: Delay 5 * time.Second, PollInterval 1 * time.Minute, Pending
  // PROVISIONING, Target READY and WAITING_FOR_CONNECTIONS, in internal/provider/utils_wait.go (UTILS_WAIT); later
  // releases generate it into internal/provider/resource_private_link_attachment.go, with
  // getDelayAndPollInterval(5*time.Second, 1*time.Minute, …): the same figures outside acceptance-test mode
  // (https://github.com/confluentinc/terraform-provider-confluent/blob/4147034e60d3e0d0cfbce78821ac375ccad9b925/internal/provider/resource_private_link_attachment.go).
  terraformWait: { delayMs: FIVE_SECONDS, pollIntervalMs: ONE_MINUTE, pending: ["PROVISIONING"], target: ["WAITING_FOR_CONNECTIONS", "READY"] },
  provisionFor: (emulator, ms) => emulator.control.configure({ attachmentTiming: { provisioningMs: ms } }),
  count: (emulator) => emulator.control.attachments().length,
  // It serves connections from WAITING_FOR_CONNECTIONS on, which it turns to once provisioned.
  servingAtMs: (emulator, id) => emulator.control.attachment(id)?.provisionedAtMs ?? null,
  withCreate: (emulator, clock, fn) => withProviderOf(emulator, PrivateLinkAttachmentProvider, { clock }, (provider) =>
    fn(async () => (await provider.create(await awsAttachmentInputs(provider, "ours"))).id)),
};
