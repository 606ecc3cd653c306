// Programmatic entry: `import { startEmulator } from "pulumi-confluent-plattc/emulator"`.
import { EmulatorContext } from "./context";
import { Control } from "./control";
import { controlRoutes } from "./control-routes";
import { IDP_TOKEN_PATH } from "./oauth";
import {
  resolveOptions, type AttachmentDeletion, type AttachmentSeed, type AttachmentTiming, type EmulatorOptions, type OAuthClient, type RateLimit,
  type Timing,
} from "./options";
import { EmulatorServer } from "./server";

export type { AttachmentDeletion, AttachmentSeed, AttachmentTiming, CloudName, Clock, EmulatorOptions, OAuthClient, OAuthLifetimes, OAuthSettings, RateLimit, Timing } from "./options";
export type { AttachmentView } from "./attachment-view";
export type { ConnectionView } from "./connection-view";
export type { OAuthView } from "./control";
export type { Fault, FaultSpec } from "./faults";
export type { LateRequest } from "./late";
export type { LoggedRequest, RequestCounts } from "./request-log";
export { DEFAULTS } from "./options";

export interface Emulator {
  /** Base URL to use as the Confluent Cloud endpoint, e.g. http://127.0.0.1:43123 */
  url: string;
  port: number;
  credentials: { apiKey: string; apiSecret: string };
  accessTokens: string[];
  environments: string[];
  privateLinkAttachments: AttachmentSeed[];
  /** The identity provider's token URL and what it and the STS accept, as started. */
  oauth: { tokenUrl: string; identityPools: string[]; clients: OAuthClient[] };
  readonly timing: Timing;
  /** The lifecycle of the attachments the API creates. */
  readonly attachmentTiming: AttachmentTiming;
  /** What DELETE does to an attachment that still has connections. */
  readonly attachmentDeletion: AttachmentDeletion;
  readonly rateLimit: RateLimit;
  readonly quirks: boolean;
  /** Whether a gone connection answers 403 `Forbidden Access` (as production does) instead of 404. */
  readonly goneAs403: boolean;
  /** Fault injection, drift, lifecycle control and the request log (the same operations as /_emulator/…). */
  control: Control;
  close(): Promise<void>;
}

export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const context = new EmulatorContext(resolved);
  const control = new Control(context);
  const server = new EmulatorServer(context, controlRoutes(control));
  const url = await server.listen();
  return {
    url,
    port: Number(new URL(url).port),
    credentials: { ...resolved.credentials },
    accessTokens: [...resolved.accessTokens],
    environments: [...resolved.environments],
    privateLinkAttachments: resolved.privateLinkAttachments.map((a) => ({ ...a })),
    oauth: {
      tokenUrl: `${url}${IDP_TOKEN_PATH}`,
      identityPools: [...resolved.oauth.identityPools],
      clients: resolved.oauth.clients.map((c) => ({ ...c })),
    },
    // Live values: control.configure() and POST /_emulator/config change them.
    get timing() {
      return context.settings().timing;
    },
    get attachmentTiming() {
      return context.settings().attachmentTiming;
    },
    get attachmentDeletion() {
      return context.settings().attachmentDeletion;
    },
    get rateLimit() {
      return context.settings().rateLimit;
    },
    get quirks() {
      return context.quirks;
    },
    get goneAs403() {
      return context.goneAs403;
    },
    control,
    close: () => server.close(),
  };
}
