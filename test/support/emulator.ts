// Starting an emulator per test and a caller bound to it.
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { basic, Caller } from "./http";

export const CONNECTIONS = "/networking/v1/private-link-attachment-connections";
export const ENV = "env-emu000";
export const AWS_ATTACHMENT = "platt-emuaws";
export const AZURE_ATTACHMENT = "platt-emuazure";
export const GCP_ATTACHMENT = "platt-emugcp";

export interface Running {
  emulator: Emulator;
  api: Caller;
}

export async function withEmulator<T>(options: EmulatorOptions, fn: (r: Running) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    const api = new Caller(emulator.url, basic(emulator.credentials.apiKey, emulator.credentials.apiSecret), !emulator.quirks);
    return await fn({ emulator, api });
  } finally {
    await emulator.close();
  }
}

let counter = 0;

/** A fresh, valid AWS endpoint id each call. */
export function vpce(): string {
  counter++;
  return `vpce-${counter.toString(16).padStart(17, "0")}`;
}

export function awsBody(vpcEndpointId = vpce(), extra: { displayName?: string; env?: string; attachment?: string } = {}) {
  return {
    spec: {
      ...(extra.displayName !== undefined ? { display_name: extra.displayName } : {}),
      cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpcEndpointId },
      environment: { id: extra.env ?? ENV },
      private_link_attachment: { id: extra.attachment ?? AWS_ATTACHMENT },
    },
  };
}

export function azureBody(name = `pe-${++counter}`) {
  return {
    spec: {
      display_name: name,
      cloud: {
        kind: "AzurePrivateLinkAttachmentConnection",
        private_endpoint_resource_id: `/subscriptions/123aaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/resourceGroups/testvpc/providers/Microsoft.Network/privateEndpoints/${name}`,
      },
      environment: { id: ENV },
      private_link_attachment: { id: AZURE_ATTACHMENT },
    },
  };
}

export function gcpBody(connectionId = String(1_000_000_000 + ++counter)) {
  return {
    spec: {
      display_name: `psc-${connectionId}`,
      cloud: { kind: "GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: connectionId },
      environment: { id: ENV },
      private_link_attachment: { id: GCP_ATTACHMENT },
    },
  };
}

/** The id of the connection just POSTed for this endpoint, as soon as the emulator has it. */
export async function connectionFor(emulator: Emulator, endpointId: string, timeoutMs = 5000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = emulator.control.connections().find((c) => c.endpointId === endpointId);
    if (found) return found.id;
    if (Date.now() > until) throw new Error(`no connection for ${endpointId} within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public ms = Date.parse("2026-01-01T00:00:00Z")) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
