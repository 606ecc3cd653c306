// The private link attachment's Pulumi shapes (camelCase, pulumi-confluentcloud's names) and the mapping to and from
// the wire JSON of networking.v1.PrivateLinkAttachment (snake_case). What is read from the server is untrusted: ""
// stands for "absent" wherever a value is expected, and a body without what it must have is a MalformedResponseError.
import { describeValue, isRecord } from "../core/checks";
import type { Item } from "../core/transport/body";

export type AttachmentCloud = "AWS" | "AZURE" | "GCP";
export const ATTACHMENT_CLOUDS: readonly AttachmentCloud[] = ["AWS", "AZURE", "GCP"];

/** What the API stores of an attachment, in Pulumi's shape: the inputs `read` hands back. */
export interface AttachmentSpec {
  /** AWS, AZURE or GCP; changing it replaces the attachment. */
  cloud: string;
  /** The cloud region, e.g. "us-east-1"; changing it replaces the attachment. */
  region: string;
  /** Changed in place. */
  displayName?: string;
  /** Changing it replaces the attachment. */
  environment: { id: string };
}

/** The resource's inputs: its spec and the provider's own settings. */
export interface AttachmentInputs extends AttachmentSpec {
  /** How long create, update and delete may wait, e.g. "90s", "30m", "2h" (default 2h each). */
  timeouts?: { create?: string; update?: string; delete?: string };
  /** On create, manage the attachment with the same environment, cloud, region and display name instead of creating one. */
  adoptExisting?: boolean;
}

/** The AWS status of an attachment: the VPC endpoint service an AWS VPC endpoint connects to. */
export interface AwsAttachmentStatus {
  vpcEndpointServiceName: string;
}

/** The Azure status: the private link service an Azure private endpoint connects to. */
export interface AzureAttachmentStatus {
  privateLinkServiceAlias: string;
  privateLinkServiceResourceId: string;
}

/** The GCP status: the service attachment a Private Service Connect endpoint connects to. */
export interface GcpAttachmentStatus {
  privateServiceConnectServiceAttachment: string;
}

/** What the resource exposes as outputs (the attachment id travels separately). */
export interface AttachmentState extends AttachmentSpec {
  /** metadata.resource_name (CRN). */
  resourceName?: string;
  /** status.phase verbatim: PROVISIONING, WAITING_FOR_CONNECTIONS, READY, FAILED, EXPIRED, DEPROVISIONING or a future value. */
  phase: string;
  /** status.dns_domain: the root DNS domain of the attachment (once WAITING_FOR_CONNECTIONS). */
  dnsDomain?: string;
  errorCode?: string;
  errorMessage?: string;
  /** status.cloud of an AWS attachment, once WAITING_FOR_CONNECTIONS. */
  aws?: AwsAttachmentStatus;
  azure?: AzureAttachmentStatus;
  gcp?: GcpAttachmentStatus;
  createdAt?: string;
  updatedAt?: string;
}

export type Attachment = Item<AttachmentState>;

/** The properties only the API sets: outputs, never inputs. */
export const ATTACHMENT_OUTPUT_KEYS = [
  "resourceName", "phase", "dnsDomain", "errorCode", "errorMessage", "aws", "azure", "gcp", "createdAt", "updatedAt",
] as const satisfies ReadonlyArray<Exclude<keyof AttachmentState, keyof AttachmentSpec>>;

export class MalformedAttachmentError extends Error {
  /** Dotted path of the missing or wrong field, e.g. "status.phase" ("" for the body itself). */
  readonly field: string;
  constructor(field: string, problem: string, got: unknown) {
    const where = field === "" ? "response body" : `"${field}"`;
    super(`malformed private link attachment from the Confluent API: ${where} ${problem} (got ${describeValue(got, 120)})`);
    this.name = "MalformedAttachmentError";
    this.field = field;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function required(record: Record<string, unknown>, key: string, path: string): string {
  const value = text(record[key]);
  if (value === undefined) throw new MalformedAttachmentError(path, "is missing or not a non-empty string", record[key]);
  return value;
}

/** "networking.v1.AwsPrivateLinkAttachmentStatus" -> "AwsPrivateLinkAttachmentStatus". */
function bareKind(kind: unknown): string | undefined {
  return typeof kind === "string" ? kind.slice(kind.lastIndexOf(".") + 1) : undefined;
}

/** status.cloud as the typed output of its cloud; nothing while it is empty (PROVISIONING) or of a kind not known yet. */
function cloudStatusOf(cloud: unknown): Pick<AttachmentState, "aws" | "azure" | "gcp"> {
  if (!isRecord(cloud)) return {};
  const kind = bareKind(cloud.kind);
  const inner = (key: string): Record<string, unknown> => (isRecord(cloud[key]) ? cloud[key] : {});
  if (kind === "AwsPrivateLinkAttachmentStatus") {
    const name = text(inner("vpc_endpoint_service").vpc_endpoint_service_name);
    return name ? { aws: { vpcEndpointServiceName: name } } : {};
  }
  if (kind === "AzurePrivateLinkAttachmentStatus") {
    const service = inner("private_link_service");
    const alias = text(service.private_link_service_alias);
    const resourceId = text(service.private_link_service_resource_id);
    return alias && resourceId ? { azure: { privateLinkServiceAlias: alias, privateLinkServiceResourceId: resourceId } } : {};
  }
  if (kind === "GcpPrivateLinkAttachmentStatus") {
    const attachment = text(inner("service_attachment").private_service_connect_service_attachment);
    return attachment ? { gcp: { privateServiceConnectServiceAttachment: attachment } } : {};
  }
  return {};
}

/** An attachment as the API describes it (a GET, a create's or update's answer, an item of a list). */
export function attachmentFromWire(wire: unknown): Attachment {
  if (!isRecord(wire)) throw new MalformedAttachmentError("", "is not a JSON object", wire);
  const id = required(wire, "id", "id");
  const spec = isRecord(wire.spec) ? wire.spec : undefined;
  if (!spec) throw new MalformedAttachmentError("spec", "is missing or not an object", wire.spec);
  const status = isRecord(wire.status) ? wire.status : undefined;
  if (!status) throw new MalformedAttachmentError("status", "is missing or not an object", wire.status);
  const environment = isRecord(spec.environment) ? text(spec.environment.id) : undefined;
  if (environment === undefined) throw new MalformedAttachmentError("spec.environment.id", "is missing or not a non-empty string", isRecord(spec.environment) ? spec.environment.id : spec.environment);
  const metadata = isRecord(wire.metadata) ? wire.metadata : {};
  const state: AttachmentState = {
    cloud: required(spec, "cloud", "spec.cloud"),
    region: required(spec, "region", "spec.region"),
    environment: { id: environment },
    phase: required(status, "phase", "status.phase"),
    ...cloudStatusOf(status.cloud),
  };
  const optional: Array<[keyof AttachmentState, unknown]> = [
    ["displayName", spec.display_name], ["resourceName", metadata.resource_name], ["dnsDomain", status.dns_domain],
    ["errorCode", status.error_code], ["errorMessage", status.error_message], ["createdAt", metadata.created_at], ["updatedAt", metadata.updated_at],
  ];
  for (const [key, value] of optional) if (text(value) !== undefined) (state as unknown as Record<string, unknown>)[key] = text(value);
  return { id, state };
}

/** What `read` hands back as inputs: the spec as the API has it. */
export function apiVisibleInputs(state: AttachmentState): AttachmentSpec {
  return {
    cloud: state.cloud,
    region: state.region,
    environment: { id: state.environment.id },
    ...(state.displayName !== undefined ? { displayName: state.displayName } : {}),
  };
}

export interface WireAttachmentCreate {
  spec: { display_name?: string; cloud: string; region: string; environment: { id: string } };
}

export interface WireAttachmentUpdate {
  spec: { display_name: string; environment: { id: string } };
}

export function toCreateRequest(inputs: AttachmentSpec): WireAttachmentCreate {
  return {
    spec: {
      ...(inputs.displayName !== undefined ? { display_name: inputs.displayName } : {}),
      cloud: inputs.cloud,
      region: inputs.region,
      environment: { id: inputs.environment.id },
    },
  };
}

/** PATCH leaves omitted fields unchanged: a displayName removed from the program is sent as "" to clear it. */
export function toUpdateRequest(inputs: AttachmentSpec): WireAttachmentUpdate {
  return { spec: { display_name: inputs.displayName ?? "", environment: { id: inputs.environment.id } } };
}
