// Pulumi-side shapes (camelCase) and the mapping to and from the wire JSON in wire.ts.
import { describeValue, isRecord } from "../core/checks";
import type { WireConnectionCloud, WireCreateRequest, WireUpdateRequest } from "./wire";

export type Cloud = "AWS" | "AZURE" | "GCP";

/** Exactly one of them is set. */
export interface EndpointCarrier {
  aws?: { vpcEndpointId: string };
  azure?: { privateEndpointResourceId: string };
  gcp?: { privateServiceConnectConnectionId: string };
}

/** What the API stores of a connection, in Pulumi's shape: the inputs `read` hands back. */
export interface ConnectionSpec extends EndpointCarrier {
  displayName?: string;
  environment: { id: string };
  privateLinkAttachment: { id: string };
}

/** The resource's inputs: what the resource args declare, and what `check` returns once every value is known. */
export interface ConnectionInputs extends ConnectionSpec {
  /** How long create, update and delete may wait, e.g. "90s", "30m", "2h" (default 2h each). */
  timeouts?: { create?: string; update?: string; delete?: string };
  /** On create, manage the connection that already exists for this endpoint in the attachment instead of failing. */
  adoptExisting?: boolean;
}

/** What the resource exposes as outputs (the connection id travels separately). */
export interface ConnectionState extends ConnectionSpec {
  /** metadata.resource_name (CRN). */
  resourceName?: string;
  /** status.phase verbatim: PROVISIONING, READY, FAILED, DEPROVISIONING, DISCONNECTED or a future value. */
  phase: string;
  errorCode?: string;
  errorMessage?: string;
  /** status.cloud in camelCase without `kind` (only non-empty string values), e.g. {vpcEndpointId, vpcEndpointServiceName}. */
  cloudStatus?: Record<string, string>;
  createdAt?: string;
  updatedAt?: string;
}

/** A connection as the API describes it: its id and its state in Pulumi's shape. */
export interface Connection {
  id: string;
  state: ConnectionState;
}

/** The properties only the API sets: outputs, never inputs. */
export const OUTPUT_ONLY_KEYS = ["resourceName", "phase", "errorCode", "errorMessage", "cloudStatus", "createdAt", "updatedAt"] as const satisfies ReadonlyArray<
  Exclude<keyof ConnectionState, keyof ConnectionSpec>
>;

/** One row per cloud: the Pulumi key/field and the wire kind/field of the endpoint id. */
export const CLOUDS = [
  { cloud: "AWS", key: "aws", field: "vpcEndpointId", kind: "AwsPrivateLinkAttachmentConnection", wireField: "vpc_endpoint_id" },
  { cloud: "AZURE", key: "azure", field: "privateEndpointResourceId", kind: "AzurePrivateLinkAttachmentConnection", wireField: "private_endpoint_resource_id" },
  { cloud: "GCP", key: "gcp", field: "privateServiceConnectConnectionId", kind: "GcpPrivateLinkAttachmentConnection", wireField: "private_service_connect_connection_id" },
] as const;

export type CloudKey = (typeof CLOUDS)[number]["key"];

/** "networking.v1.AwsPrivateLinkAttachmentConnection" -> "AwsPrivateLinkAttachmentConnection". */
export function stripKindPrefix(kind: string): string {
  return kind.slice(kind.lastIndexOf(".") + 1);
}

/** The endpoint of whichever of aws/azure/gcp is set (the first one, if several are). */
export function endpointOf(x: EndpointCarrier): { cloud: Cloud; id: string } | undefined {
  if (x.aws) return { cloud: "AWS", id: x.aws.vpcEndpointId };
  if (x.azure) return { cloud: "AZURE", id: x.azure.privateEndpointResourceId };
  if (x.gcp) return { cloud: "GCP", id: x.gcp.privateServiceConnectConnectionId };
  return undefined;
}

/**
 * Whether two endpoints are the same one. Azure resource ids are case-insensitive (Azure itself returns
 * "resourcegroups" in some outputs, and the API may echo another casing than was sent); AWS and GCP ids are not.
 */
export function sameEndpoint(a: { cloud: Cloud; id: string } | undefined, b: { cloud: Cloud; id: string } | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.cloud !== b.cloud) return false;
  return a.cloud === "AZURE" ? a.id.toLowerCase() === b.id.toLowerCase() : a.id === b.id;
}

function wireCloud(inputs: ConnectionInputs): WireConnectionCloud {
  if (inputs.aws) return { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: inputs.aws.vpcEndpointId };
  if (inputs.azure) {
    return { kind: "AzurePrivateLinkAttachmentConnection", private_endpoint_resource_id: inputs.azure.privateEndpointResourceId };
  }
  if (inputs.gcp) {
    return { kind: "GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: inputs.gcp.privateServiceConnectConnectionId };
  }
  throw new Error("cannot build a create request: exactly one of aws, azure or gcp must be set");
}

export function toCreateRequest(inputs: ConnectionInputs): WireCreateRequest {
  const spec: WireCreateRequest["spec"] = {
    cloud: wireCloud(inputs),
    environment: { id: inputs.environment.id },
    private_link_attachment: { id: inputs.privateLinkAttachment.id },
  };
  if (inputs.displayName !== undefined) spec.display_name = inputs.displayName;
  return { spec };
}

/**
 * PATCH leaves omitted fields unchanged, so a displayName removed from the program is sent as "" to
 * clear it; otherwise the old name would come back on every refresh and diff forever.
 */
export function toUpdateRequest(inputs: ConnectionInputs): WireUpdateRequest {
  return { spec: { display_name: inputs.displayName ?? "", environment: { id: inputs.environment.id } } };
}

export class MalformedResponseError extends Error {
  /** Dotted path of the missing or wrong field, e.g. "status.phase" ("" for the body itself). */
  readonly field: string;
  constructor(field: string, problem: string, got: unknown) {
    const where = field === "" ? "response body" : `"${field}"`;
    super(`malformed private link attachment connection from the Confluent API: ${where} ${problem} (got ${describeValue(got, 120)})`);
    this.name = "MalformedResponseError";
    this.field = field;
  }
}

// The quirks in NOTES.md: "" stands for "absent" wherever a value is expected.
function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function requireRef(spec: Record<string, unknown>, key: string, fieldPath: string): { id: string } {
  const ref = spec[key];
  const id = isRecord(ref) ? text(ref.id) : undefined;
  if (id === undefined) throw new MalformedResponseError(fieldPath, "is missing or not a non-empty string", isRecord(ref) ? ref.id : ref);
  return { id };
}

function readEndpoint(cloud: unknown): EndpointCarrier {
  if (!isRecord(cloud)) throw new MalformedResponseError("spec.cloud", "is missing or not an object", cloud);
  const kind = typeof cloud.kind === "string" ? stripKindPrefix(cloud.kind) : undefined;
  const row = CLOUDS.find((c) => c.kind === kind);
  if (!row) {
    throw new MalformedResponseError("spec.cloud.kind", `is not one of ${CLOUDS.map((c) => c.kind).join(", ")}`, cloud.kind);
  }
  const id = text(cloud[row.wireField]);
  if (id === undefined) {
    throw new MalformedResponseError(`spec.cloud.${row.wireField}`, "is missing or not a non-empty string", cloud[row.wireField]);
  }
  switch (row.key) {
    case "aws":
      return { aws: { vpcEndpointId: id } };
    case "azure":
      return { azure: { privateEndpointResourceId: id } };
    case "gcp":
      return { gcp: { privateServiceConnectConnectionId: id } };
  }
}

function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * status.cloud without `kind`. Fields we do not know (e.g. Azure's `zone`) are kept, camelCased, when they
 * are non-empty strings: they are read-only facts users may want, and dropping them would hide API changes.
 * Non-string values and odd keys (anything but letters, digits and `_`) are dropped.
 */
function readCloudStatus(cloud: unknown): Record<string, string> | undefined {
  if (!isRecord(cloud)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(cloud)) {
    if (key === "kind" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) continue;
    const v = text(value);
    if (v !== undefined) out[camelCase(key)] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Tolerant reader of a connection object: accepts every quirk listed in NOTES.md and throws
 * MalformedResponseError (naming the field) only when something the provider cannot work without is missing.
 * `metadata.deleted_at` is ignored on purpose: the API sets it on live objects.
 */
export function connectionFromWire(body: unknown): Connection {
  if (!isRecord(body)) throw new MalformedResponseError("", "is not a JSON object", body);
  const id = text(body.id);
  if (id === undefined) throw new MalformedResponseError("id", "is missing or not a non-empty string", body.id);
  const status = body.status;
  if (!isRecord(status)) throw new MalformedResponseError("status", "is missing or not an object", status);
  const phase = text(status.phase);
  if (phase === undefined) throw new MalformedResponseError("status.phase", "is missing or not a non-empty string", status.phase);
  const spec = body.spec;
  if (!isRecord(spec)) throw new MalformedResponseError("spec", "is missing or not an object", spec);

  const state: ConnectionState = {
    ...readEndpoint(spec.cloud),
    environment: requireRef(spec, "environment", "spec.environment.id"),
    privateLinkAttachment: requireRef(spec, "private_link_attachment", "spec.private_link_attachment.id"),
    phase,
  };
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const put = <K extends keyof ConnectionState>(key: K, value: ConnectionState[K] | undefined): void => {
    if (value !== undefined) state[key] = value;
  };
  put("displayName", text(spec.display_name));
  put("resourceName", text(metadata.resource_name));
  put("errorCode", text(status.error_code));
  put("errorMessage", text(status.error_message));
  put("cloudStatus", readCloudStatus(status.cloud));
  put("createdAt", text(metadata.created_at));
  put("updatedAt", text(metadata.updated_at));
  return { id, state };
}

/** The API-visible inputs of a live connection: what `read` returns as `inputs`, so out-of-band edits show as diffs. */
export function apiVisibleInputs(state: ConnectionState): ConnectionInputs {
  const inputs: ConnectionInputs = {
    environment: { id: state.environment.id },
    privateLinkAttachment: { id: state.privateLinkAttachment.id },
  };
  if (state.displayName !== undefined) inputs.displayName = state.displayName;
  if (state.aws) inputs.aws = { vpcEndpointId: state.aws.vpcEndpointId };
  else if (state.azure) inputs.azure = { privateEndpointResourceId: state.azure.privateEndpointResourceId };
  else if (state.gcp) inputs.gcp = { privateServiceConnectConnectionId: state.gcp.privateServiceConnectConnectionId };
  return inputs;
}
