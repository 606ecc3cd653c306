// Rendering connections as the API answers them (strict schemas, or like the recorded production bodies),
// and reading connection bodies (recorded responses seeded through the control API) back into the world.
import { attachmentService, digest, endpointIdOf, ORGANIZATION_ID, type ConnectionRecord, type Endpoint, type World } from "./state";
import { isAttachmentProvisioned, type AttachmentRecord } from "./attachment-state";
import type { CloudName } from "./options";

export const CONNECTIONS_PATH = "/networking/v1/private-link-attachment-connections";
export const ATTACHMENTS_PATH = "/networking/v1/private-link-attachments";
const PRODUCTION_BASE = "https://api.confluent.cloud";
const KIND_PREFIX = "networking.v1.";
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

type Json = Record<string, unknown>;

export interface RenderContext {
  world: World;
  /** Base URL for links: the emulator's own in strict mode. */
  baseUrl: string;
  quirks: boolean;
}

const SPEC_KIND: Record<CloudName, string> = {
  AWS: "AwsPrivateLinkAttachmentConnection",
  AZURE: "AzurePrivateLinkAttachmentConnection",
  GCP: "GcpPrivateLinkAttachmentConnection",
};

const ENDPOINT_FIELD: Record<CloudName, string> = {
  AWS: "vpc_endpoint_id",
  AZURE: "private_endpoint_resource_id",
  GCP: "private_service_connect_connection_id",
};

function linkBase(ctx: RenderContext): string {
  return ctx.quirks ? PRODUCTION_BASE : ctx.baseUrl;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function kind(name: string, quirks: boolean): string {
  return quirks ? KIND_PREFIX + name : name;
}

export function connectionSelf(ctx: RenderContext, c: ConnectionRecord): string {
  const self = `${linkBase(ctx)}${CONNECTIONS_PATH}/${c.id}`;
  return ctx.quirks ? `${self}?environment=${c.environmentId}` : self;
}

function environmentRef(ctx: RenderContext, envId: string): Json {
  const ref: Json = {
    id: envId,
    related: `${linkBase(ctx)}/v2/environments/${envId}`,
    resource_name: `crn://confluent.cloud/organization=${ORGANIZATION_ID}/environment=${envId}`,
  };
  return ctx.quirks ? { api_version: "org/v2", environment: envId, kind: "Environment", ...ref } : ref;
}

function attachmentRef(ctx: RenderContext, attachmentId: string, envId: string): Json {
  const related = `${linkBase(ctx)}${ATTACHMENTS_PATH}/${attachmentId}`;
  const ref: Json = {
    id: attachmentId,
    related: ctx.quirks ? `${related}?environment=${envId}` : related,
    resource_name: `crn://confluent.cloud/organization=${ORGANIZATION_ID}/environment=${envId}/private-link-attachment=${attachmentId}`,
  };
  return ctx.quirks ? { api_version: "networking/v1", environment: envId, kind: "PrivateLinkAttachment", ...ref } : ref;
}

function specCloud(endpoint: Endpoint, quirks: boolean): Json {
  return { kind: kind(SPEC_KIND[endpoint.cloud], quirks), [ENDPOINT_FIELD[endpoint.cloud]]: endpointIdOf(endpoint) };
}

/** Empty values of Confluent's side while it is not provisioned yet, as production shows them. */
function pendingService(cloud: CloudName): Json {
  switch (cloud) {
    case "AWS": return { vpc_endpoint_service_name: "" };
    case "AZURE": return { private_link_service_alias: "", private_link_service_resource_id: "" };
    case "GCP": return {};
  }
}

/** The status.cloud fields of Confluent's side that the spec declares, besides `kind` and the endpoint id. */
const SERVICE_FIELDS: Record<CloudName, string[]> = {
  AWS: ["vpc_endpoint_service_name"],
  AZURE: ["private_link_service_alias", "private_link_service_resource_id"],
  GCP: ["private_service_connect_service_attachment"],
};

function statusCloud(ctx: RenderContext, c: ConnectionRecord): Json | undefined {
  // A seeded body that showed Confluent's side (even while PROVISIONING, as production does) keeps showing it.
  const provisioned = ctx.world.isProvisioned(c) || c.statusCloudOverride !== undefined;
  if (!provisioned && !ctx.quirks) return undefined;
  const cloud = c.endpoint.cloud;
  const attachment = ctx.world.attachments.get(c.attachmentId);
  const service = provisioned && attachment ? attachmentService(attachment) : pendingService(cloud);
  const extras = ctx.quirks && cloud === "AZURE" ? { zone: "1" } : {};
  // Strict mode renders only what the spec declares: unknown recorded fields (Azure `zone`) stay in quirks mode.
  const override = ctx.quirks
    ? c.statusCloudOverride
    : Object.fromEntries(Object.entries(c.statusCloudOverride ?? {}).filter(([k, v]) => SERVICE_FIELDS[cloud].includes(k) && typeof v === "string"));
  return {
    kind: kind(`${SPEC_KIND[cloud]}Status`, ctx.quirks),
    ...extras,
    [ENDPOINT_FIELD[cloud]]: endpointIdOf(c.endpoint),
    ...service,
    ...override,
  };
}

export function renderConnection(ctx: RenderContext, c: ConnectionRecord): Json {
  const phase = ctx.world.phaseOf(c);
  const status: Json = { phase };
  const errorCode = c.deletedAt === undefined ? c.forced?.errorCode : undefined;
  const errorMessage = c.deletedAt === undefined ? c.forced?.errorMessage : undefined;
  if (ctx.quirks) {
    status.error_code = errorCode ?? "";
    status.error_message = errorMessage ?? "";
  } else {
    if (errorCode) status.error_code = errorCode;
    if (errorMessage) status.error_message = errorMessage;
  }
  const cloud = statusCloud(ctx, c);
  if (cloud) status.cloud = cloud;

  const metadata: Json = {
    self: connectionSelf(ctx, c),
    resource_name: `crn://confluent.cloud/organization=${ORGANIZATION_ID}/environment=${c.environmentId}/private-link-attachment=${c.attachmentId}/private-link-attachment-connection=${c.id}`,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
  };
  if (c.deletedAt !== undefined) metadata.deleted_at = iso(c.deletedAt);
  else if (ctx.quirks) metadata.deleted_at = GO_ZERO_TIME;

  const spec: Json = {};
  if (c.displayName !== undefined) spec.display_name = c.displayName;
  else if (ctx.quirks) spec.display_name = "";
  spec.cloud = specCloud(c.endpoint, ctx.quirks);
  spec.environment = environmentRef(ctx, c.environmentId);
  spec.private_link_attachment = attachmentRef(ctx, c.attachmentId, c.environmentId);

  return { api_version: "networking/v1", kind: "PrivateLinkAttachmentConnection", id: c.id, metadata, spec, status };
}

export function attachmentSelf(ctx: RenderContext, a: AttachmentRecord): string {
  const self = `${linkBase(ctx)}${ATTACHMENTS_PATH}/${a.id}`;
  return ctx.quirks ? `${self}?environment=${a.environmentId}` : self;
}

/** What Confluent's side offers, shown once the attachment is provisioned (PROVISIONING shows only the phase). */
function attachmentStatusCloud(ctx: RenderContext, a: AttachmentRecord): Json {
  const service = attachmentService(a);
  switch (a.cloud) {
    case "AWS": return { kind: kind("AwsPrivateLinkAttachmentStatus", ctx.quirks), vpc_endpoint_service: service };
    case "AZURE": return { kind: kind("AzurePrivateLinkAttachmentStatus", ctx.quirks), private_link_service: service };
    case "GCP": return { kind: kind("GcpPrivateLinkAttachmentStatus", ctx.quirks), service_attachment: service };
  }
}

export function renderAttachment(ctx: RenderContext, a: AttachmentRecord): Json {
  const metadata: Json = {
    self: attachmentSelf(ctx, a),
    resource_name: `crn://confluent.cloud/organization=${ORGANIZATION_ID}/environment=${a.environmentId}/private-link-attachment=${a.id}`,
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
  };
  if (a.deletedAt !== undefined) metadata.deleted_at = iso(a.deletedAt);
  else if (ctx.quirks) metadata.deleted_at = GO_ZERO_TIME;
  const status: Json = { phase: ctx.world.attachmentPhaseOf(a) };
  const errorCode = a.deletedAt === undefined ? a.forced?.errorCode : undefined;
  const errorMessage = a.deletedAt === undefined ? a.forced?.errorMessage : undefined;
  if (ctx.quirks) Object.assign(status, { error_code: errorCode ?? "", error_message: errorMessage ?? "" });
  else Object.assign(status, errorCode ? { error_code: errorCode } : {}, errorMessage ? { error_message: errorMessage } : {});
  if (isAttachmentProvisioned(a, ctx.world.now())) {
    status.dns_domain = `${digest(a.id, 6)}.${a.region}.${a.cloud.toLowerCase()}.private.confluent.cloud`;
    status.cloud = attachmentStatusCloud(ctx, a);
  }
  return {
    api_version: "networking/v1",
    kind: "PrivateLinkAttachment",
    id: a.id,
    metadata,
    spec: {
      ...(a.displayName !== undefined ? { display_name: a.displayName } : ctx.quirks ? { display_name: "" } : {}),
      cloud: a.cloud,
      region: a.region,
      environment: environmentRef(ctx, a.environmentId),
    },
    status,
  };
}

// ---- reading bodies (recorded responses, or anything shaped like a connection) --------------------------

export class BodyError extends Error {
  constructor(readonly pointer: string, message: string) {
    super(message);
  }
}

/** Bare spec kind for a `kind` in either spelling; undefined when it names no connection cloud. */
export function cloudOfKind(value: unknown): CloudName | undefined {
  if (typeof value !== "string") return undefined;
  const bare = value.startsWith(KIND_PREFIX) ? value.slice(KIND_PREFIX.length) : value;
  return (Object.keys(SPEC_KIND) as CloudName[]).find((c) => SPEC_KIND[c] === bare);
}

export function endpointFromCloud(cloud: unknown, pointer = "/spec/cloud"): Endpoint {
  if (typeof cloud !== "object" || cloud === null || Array.isArray(cloud)) throw new BodyError(pointer, `${pointer} must be an object`);
  const fields = cloud as Json;
  const name = cloudOfKind(fields.kind);
  if (!name) {
    throw new BodyError(`${pointer}/kind`, `${pointer}/kind must be one of ${Object.values(SPEC_KIND).join(", ")}`);
  }
  const field = ENDPOINT_FIELD[name];
  const id = fields[field];
  if (typeof id !== "string" || id.length === 0) throw new BodyError(`${pointer}/${field}`, `${pointer}/${field} must be a non-empty string`);
  switch (name) {
    case "AWS": return { cloud: name, vpcEndpointId: id };
    case "AZURE": return { cloud: name, privateEndpointResourceId: id };
    case "GCP": return { cloud: name, privateServiceConnectConnectionId: id };
  }
}

function refId(value: unknown, pointer: string): string {
  const id = typeof value === "object" && value !== null ? (value as Json).id : undefined;
  if (typeof id !== "string" || id.length === 0) throw new BodyError(`${pointer}/id`, `${pointer}/id must be a non-empty string`);
  return id;
}

function timeOf(value: unknown, fallback: number): number {
  const ms = typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? fallback : ms;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Puts a connection body (as the API or a recording shows it, quirks included) into the world, creating its
 * environment and attachment when unknown. Phases other than PROVISIONING/READY are kept as forced phases.
 */
export function seedFromBody(world: World, body: unknown): ConnectionRecord {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new BodyError("", "body must be a connection object");
  const b = body as Json;
  const spec = (typeof b.spec === "object" && b.spec !== null ? b.spec : {}) as Json;
  const status = (typeof b.status === "object" && b.status !== null ? b.status : {}) as Json;
  const meta = (typeof b.metadata === "object" && b.metadata !== null ? b.metadata : {}) as Json;
  const endpoint = endpointFromCloud(spec.cloud);
  const environmentId = refId(spec.environment, "/spec/environment");
  const attachmentId = refId(spec.private_link_attachment, "/spec/private_link_attachment");
  const id = nonEmpty(b.id) ?? world.newId();
  if (world.connections.has(id)) throw new BodyError("/id", `connection ${id} already exists`);

  const existing = world.attachments.get(attachmentId);
  if (existing && existing.cloud !== endpoint.cloud) {
    throw new BodyError("/spec/cloud/kind", `attachment ${attachmentId} is ${existing.cloud}, the body is ${endpoint.cloud}`);
  }
  if (!existing) world.seed([environmentId], [{ id: attachmentId, environmentId, cloud: endpoint.cloud, region: regionFromStatus(status.cloud) }]);
  world.environments.add(environmentId);

  const now = world.now();
  const phase = nonEmpty(status.phase) ?? "READY";
  const cloudStatus = typeof status.cloud === "object" && status.cloud !== null ? (status.cloud as Json) : undefined;
  // What the body shows of Confluent's side: only filled values (production sends "" while it does not exist yet).
  const filled = Object.entries(cloudStatus ?? {}).filter(([k, v]) => k !== "kind" && k !== ENDPOINT_FIELD[endpoint.cloud] && v !== "" && v !== null && v !== undefined);
  const override = filled.length > 0 ? Object.fromEntries(filled) : undefined;
  return world.insert({
    id,
    environmentId,
    attachmentId,
    displayName: nonEmpty(spec.display_name),
    endpoint,
    createdAt: timeOf(meta.created_at, now),
    updatedAt: timeOf(meta.updated_at, now),
    readyAt: phase === "PROVISIONING" ? now + world.timing.provisioningMs : now,
    held: false,
    forced: phase === "PROVISIONING" || phase === "READY"
      ? undefined
      : { phase, errorCode: nonEmpty(status.error_code), errorMessage: nonEmpty(status.error_message) },
    statusCloudOverride: override,
  });
}

function regionFromStatus(cloud: unknown): string {
  const text = JSON.stringify(cloud ?? "");
  return /vpce\.([a-z0-9-]+)\.vpce-svc/.exec(text)?.[1] ?? /regions\/([a-z0-9-]+)\//.exec(text)?.[1] ?? /\.([a-z0-9]+)\.azure\./.exec(text)?.[1] ?? "us-east-1";
}
