// The five connection endpoints and the five attachment endpoints, as pure request → response handlers.
import { CLOSED_PHASES, type AttachmentRecord } from "./attachment-state";
import { apiError, failure, type ApiRequest, type ApiResponse, type ErrorSource } from "./messages";
import type { CloudName } from "./options";
import { digest, endpointIdOf, type ConnectionRecord, type Endpoint, type World } from "./state";
import {
  ATTACHMENTS_PATH, attachmentSelf, BodyError, CONNECTIONS_PATH, cloudOfKind, connectionSelf, endpointFromCloud,
  renderAttachment, renderConnection, type RenderContext,
} from "./wire";

type Json = Record<string, unknown>;

class Reject extends Error {
  constructor(readonly response: ApiResponse) {
    super(String((response.body as { errors?: { detail?: string }[] } | undefined)?.errors?.[0]?.detail ?? response.status));
  }
}

function reject(status: number, code: string, detail: string, source?: ErrorSource, headers?: Record<string, string>): never {
  throw new Reject(failure(status, code, detail, source, headers));
}

const MAX_ID_LENGTH = 255;
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 10;

/** Endpoint ids the real API would refuse, by shape. */
const ENDPOINT_SHAPE: Record<Endpoint["cloud"], { pattern: RegExp; expected: string }> = {
  AWS: { pattern: /^vpce-[0-9a-f]+$/, expected: "a VPC endpoint id such as vpce-0ed4d51f5d6ef9b6d" },
  AZURE: {
    pattern: /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/[^/]+$/i,
    expected: "a private endpoint resource id /subscriptions/…/resourceGroups/…/providers/Microsoft.Network/privateEndpoints/…",
  },
  GCP: { pattern: /^[0-9]+$/, expected: "a numeric Private Service Connect connection id" },
};

export class Api {
  constructor(private readonly world: World, private readonly ctx: () => RenderContext, private readonly goneAs403: () => boolean) {}

  handle(req: ApiRequest): ApiResponse {
    try {
      return this.route(req);
    } catch (e) {
      if (e instanceof Reject) return e.response;
      throw e;
    }
  }

  /** The route template of a path (for request counts), or undefined when no endpoint serves it. */
  static routeOf(path: string): string | undefined {
    if (path === CONNECTIONS_PATH) return CONNECTIONS_PATH;
    if (path.startsWith(`${CONNECTIONS_PATH}/`) && !path.slice(CONNECTIONS_PATH.length + 1).includes("/")) return `${CONNECTIONS_PATH}/{id}`;
    if (path === ATTACHMENTS_PATH) return ATTACHMENTS_PATH;
    if (path.startsWith(`${ATTACHMENTS_PATH}/`) && !path.slice(ATTACHMENTS_PATH.length + 1).includes("/")) return `${ATTACHMENTS_PATH}/{id}`;
    return undefined;
  }

  private route(req: ApiRequest): ApiResponse {
    const route = Api.routeOf(req.path);
    const id = route?.endsWith("{id}") ? decodeURIComponent(req.path.slice(req.path.lastIndexOf("/") + 1)) : undefined;
    const allowed = (methods: string) => reject(405, "method_not_allowed", `${req.method} is not allowed here; use ${methods}`, undefined, { Allow: methods });
    switch (route) {
      case CONNECTIONS_PATH:
        if (req.method === "GET") return this.list(req.query);
        if (req.method === "POST") return this.create(req.body);
        return allowed("GET, POST");
      case `${CONNECTIONS_PATH}/{id}`:
        if (req.method === "GET") return this.read(id!, req.query);
        if (req.method === "PATCH") return this.update(id!, req.body);
        if (req.method === "DELETE") return this.remove(id!, req.query);
        return allowed("GET, PATCH, DELETE");
      case ATTACHMENTS_PATH:
        if (req.method === "GET") return this.listAttachments(req.query);
        if (req.method === "POST") return this.createAttachment(req.body);
        return allowed("GET, POST");
      case `${ATTACHMENTS_PATH}/{id}`:
        if (req.method === "GET") return this.readAttachment(id!, req.query);
        if (req.method === "PATCH") return this.updateAttachment(id!, req.body);
        if (req.method === "DELETE") return this.removeAttachment(id!, req.query);
        return allowed("GET, PATCH, DELETE");
      default:
        return reject(404, "not_found", `no endpoint at ${req.path}`);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private environmentParam(query: URLSearchParams): string {
    const env = query.get("environment");
    if (env === null || env === "") reject(400, "missing_parameter", "query parameter 'environment' is required", { parameter: "environment" });
    this.knownEnvironment(env, { parameter: "environment" });
    return env;
  }

  /** Unknown environments answer 403, as Confluent does for anything the caller may not see. */
  private knownEnvironment(env: string, source: ErrorSource): void {
    if (!this.world.environments.has(env)) {
      reject(403, "forbidden", `environment '${env}' does not exist or you are not allowed to access it`, source);
    }
  }

  /** A connection that is gone, never existed or is of another environment: 404, or production's 403. */
  private connectionIn(id: string, env: string): ConnectionRecord {
    const c = this.world.get(id);
    if (!c || c.environmentId !== env) {
      if (this.goneAs403()) reject(403, "forbidden", "Forbidden Access");
      reject(404, "not_found", `private link attachment connection '${id}' not found in environment '${env}'`);
    }
    return c;
  }

  private parseBody(text: string): Json {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      reject(400, "malformed_request", "the request body is not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) reject(400, "malformed_request", "the request body must be a JSON object");
    return parsed as Json;
  }

  /** The `spec` object of a create or update body. */
  private specOf(text: string): Json {
    const spec = this.parseBody(text).spec;
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
      reject(422, "invalid_configuration", "'spec' is required and must be an object", { pointer: "/spec" });
    }
    return spec as Json;
  }

  private ok(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
    return { status, headers, body };
  }

  /**
   * One page of a list, the same for every collection: the items after the token, `first` (the list's own query),
   * `total_size`, and `next` only when there is more (an empty `next` in quirks mode, as production sends).
   */
  private listPage<T extends { seq: number }>(
    matching: T[], after: number, pageSize: number, first: URLSearchParams, query: URLSearchParams, path: string, filter: string,
  ): { page: T[]; metadata: Json; ctx: ReturnType<Api["ctx"]> } {
    const rest = matching.filter((item) => item.seq > after);
    const page = rest.slice(0, pageSize);
    const ctx = this.ctx();
    if (query.has("page_size")) first.set("page_size", String(pageSize));
    const base = `${ctx.quirks ? "https://api.confluent.cloud" : ctx.baseUrl}${path}`;
    const metadata: Json = { first: `${base}?${first.toString()}`, total_size: matching.length };
    if (rest.length > page.length) {
      const next = new URLSearchParams(first);
      next.set("page_token", encodePageToken(page[page.length - 1]!.seq, filter));
      metadata.next = `${base}?${next.toString()}`;
    } else if (ctx.quirks) {
      metadata.next = "";
    }
    return { page, metadata, ctx };
  }

  // ---- connections --------------------------------------------------------------------------------------

  private list(query: URLSearchParams): ApiResponse {
    const env = this.environmentParam(query);
    const attachment = query.get("spec.private_link_attachment") ?? undefined;
    const pageSize = pageSizeParam(query.get("page_size"));
    const filter = `${env}|${attachment ?? ""}`;
    const after = pageTokenParam(query.get("page_token"), filter);

    const matching = this.world.all().filter((c) => c.environmentId === env && (attachment === undefined || c.attachmentId === attachment));
    const first = new URLSearchParams({ environment: env });
    if (attachment !== undefined) first.set("spec.private_link_attachment", attachment);
    const { page, metadata, ctx } = this.listPage(matching, after, pageSize, first, query, CONNECTIONS_PATH, filter);
    return this.ok(200, {
      api_version: "networking/v1",
      kind: "PrivateLinkAttachmentConnectionList",
      metadata,
      data: page.map((c) => renderConnection(ctx, c)),
    });
  }

  private read(id: string, query: URLSearchParams): ApiResponse {
    const env = this.environmentParam(query);
    return this.ok(200, renderConnection(this.ctx(), this.connectionIn(id, env)));
  }

  private create(text: string): ApiResponse {
    const s = this.specOf(text);
    const problems = new Problems();
    const problem = (pointer: string, detail: string) => problems.add(pointer, detail);
    checkDisplayName(s, problems);
    const envId = referenceId(s.environment, "/spec/environment", problem);
    const attachmentId = referenceId(s.private_link_attachment, "/spec/private_link_attachment", problem);
    let endpoint: Endpoint | undefined;
    if (s.cloud === undefined) problem("/spec/cloud", "'/spec/cloud' is required");
    else {
      try {
        endpoint = endpointFromCloud(s.cloud);
        const shape = ENDPOINT_SHAPE[endpoint.cloud];
        const value = endpointIdOf(endpoint);
        if (!shape.pattern.test(value) || value.length > MAX_ID_LENGTH) {
          const field = Object.keys(s.cloud as Json).find((k) => k !== "kind")!;
          problem(`/spec/cloud/${field}`, `'/spec/cloud/${field}' must be ${shape.expected}`);
          endpoint = undefined;
        }
      } catch (e) {
        if (!(e instanceof BodyError)) throw e;
        problem(e.pointer, e.message);
      }
    }
    problems.throwIfAny();

    this.knownEnvironment(envId!, { pointer: "/spec/environment/id" });
    const attachment = this.world.getAttachment(attachmentId!);
    if (!attachment || attachment.environmentId !== envId) {
      reject(422, "invalid_reference", `private link attachment '${attachmentId}' not found in environment '${envId}'`, { pointer: "/spec/private_link_attachment/id" });
    }
    const attachmentPhase = this.world.attachmentPhaseOf(attachment);
    if (CLOSED_PHASES.has(attachmentPhase)) {
      reject(422, "invalid_reference", `private link attachment '${attachment.id}' is ${attachmentPhase}: it takes connections only while WAITING_FOR_CONNECTIONS or READY`, {
        pointer: "/spec/private_link_attachment/id",
      });
    }
    if (attachment.cloud !== endpoint!.cloud) {
      reject(422, "invalid_configuration", `private link attachment '${attachment.id}' is in ${attachment.cloud}; a ${endpoint!.cloud} endpoint cannot connect to it`, { pointer: "/spec/cloud/kind" });
    }
    const ctx = this.ctx();
    const duplicate = this.world.findByEndpoint(attachment.id, endpoint!);
    if (duplicate) {
      reject(409, "resource_already_exists", `endpoint '${endpointIdOf(endpoint!)}' is already connected to '${attachment.id}' by '${duplicate.id}'`, undefined, {
        Location: connectionSelf(ctx, duplicate),
      });
    }
    const created = this.world.create({ environmentId: envId, attachmentId: attachment.id, displayName: s.display_name as string | undefined, endpoint: endpoint! });
    return this.ok(ctx.quirks ? 201 : 202, renderConnection(ctx, created), { Location: connectionSelf(ctx, created) });
  }

  private update(id: string, text: string): ApiResponse {
    const { s, envId } = this.updateSpec(text);
    const c = this.connectionIn(id, envId);
    if (s.cloud !== undefined && !sameCloud(s.cloud, c.endpoint)) {
      reject(422, "immutable_field", "'/spec/cloud' cannot be changed; create a new connection instead", { pointer: "/spec/cloud" });
    }
    if (s.private_link_attachment !== undefined && (s.private_link_attachment as Json | null)?.id !== c.attachmentId) {
      reject(422, "immutable_field", "'/spec/private_link_attachment' cannot be changed; create a new connection instead", { pointer: "/spec/private_link_attachment" });
    }
    if (c.deletedAt !== undefined) {
      reject(409, "resource_being_deleted", `private link attachment connection '${id}' is being deleted`, undefined, { Location: connectionSelf(this.ctx(), c) });
    }
    if (typeof s.display_name === "string" && s.display_name !== c.displayName) this.world.rename(c, s.display_name);
    return this.ok(200, renderConnection(this.ctx(), c));
  }

  private remove(id: string, query: URLSearchParams): ApiResponse {
    const env = this.environmentParam(query);
    this.world.markDeleted(this.connectionIn(id, env));
    return { status: 204, headers: {} };
  }

  // ---- attachments ----------------------------------------------------------------------------------------

  /** An attachment that is gone, never existed or is of another environment: 404, or production's 403. */
  private attachmentIn(id: string, env: string): AttachmentRecord {
    const a = this.world.getAttachment(id);
    if (!a || a.environmentId !== env) {
      if (this.goneAs403()) reject(403, "forbidden", "Forbidden Access");
      reject(404, "not_found", `private link attachment '${id}' not found in environment '${env}'`);
    }
    return a;
  }

  private listAttachments(query: URLSearchParams): ApiResponse {
    const env = this.environmentParam(query);
    const pageSize = pageSizeParam(query.get("page_size"));
    const filters = ATTACHMENT_FILTERS.map((name) => [name, query.getAll(name)] as const).filter(([, values]) => values.length > 0);
    // Tokens carry a digest of the filters (page_token is at most 255 characters).
    const filter = digest(JSON.stringify([env, filters]), 16);
    const after = pageTokenParam(query.get("page_token"), filter);

    const matching = this.world.allAttachments().filter((a) => a.environmentId === env && this.matches(a, filters));
    const first = new URLSearchParams({ environment: env });
    for (const [name, values] of filters) for (const value of values) first.append(name, value);
    const { page, metadata, ctx } = this.listPage(matching, after, pageSize, first, query, ATTACHMENTS_PATH, filter);
    return this.ok(200, { api_version: "networking/v1", kind: "PrivateLinkAttachmentList", metadata, data: page.map((a) => renderAttachment(ctx, a)) });
  }

  /** Exact match, as the spec declares: any of a filter's values, every filter given. */
  private matches(a: AttachmentRecord, filters: (readonly [AttachmentFilter, string[]])[]): boolean {
    return filters.every(([name, values]) => {
      const value = this.attachmentField(a, name);
      return value !== undefined && values.includes(value);
    });
  }

  /** The value a list filter compares (undefined: no value, matched by no filter). */
  private attachmentField(a: AttachmentRecord, filter: AttachmentFilter): string | undefined {
    switch (filter) {
      case "spec.display_name": return a.displayName;
      case "spec.cloud": return a.cloud;
      case "spec.region": return a.region;
      case "status.phase": return this.world.attachmentPhaseOf(a);
    }
  }

  private readAttachment(id: string, query: URLSearchParams): ApiResponse {
    const env = this.environmentParam(query);
    return this.ok(200, renderAttachment(this.ctx(), this.attachmentIn(id, env)));
  }

  private createAttachment(text: string): ApiResponse {
    const s = this.specOf(text);
    const problems = new Problems();
    checkDisplayName(s, problems);
    const envId = referenceId(s.environment, "/spec/environment", (pointer, detail) => problems.add(pointer, detail));
    const cloud = cloudNameOf(s.cloud, problems);
    const region = regionOf(cloud, s.region, problems);
    problems.throwIfAny();

    this.knownEnvironment(envId!, { pointer: "/spec/environment/id" });
    const displayName = s.display_name as string | undefined;
    const created = this.world.createAttachment({
      id: this.world.newAttachmentId(), environmentId: envId!, cloud: cloud!, region: region!, ...(displayName !== undefined ? { displayName } : {}),
    });
    const ctx = this.ctx();
    return this.ok(202, renderAttachment(ctx, created), { Location: attachmentSelf(ctx, created) });
  }

  /** A PATCH body of either resource: its spec, checked (display name, an environment that exists). */
  private updateSpec(text: string): { s: Json; envId: string } {
    const s = this.specOf(text);
    const problems = new Problems();
    const envId = referenceId(s.environment, "/spec/environment", (pointer, detail) => problems.add(pointer, detail));
    checkDisplayName(s, problems);
    problems.throwIfAny();
    this.knownEnvironment(envId!, { pointer: "/spec/environment/id" });
    return { s, envId: envId! };
  }

  private updateAttachment(id: string, text: string): ApiResponse {
    const { s, envId } = this.updateSpec(text);
    const a = this.attachmentIn(id, envId);
    for (const field of ["cloud", "region"] as const) {
      if (s[field] !== undefined && s[field] !== a[field]) {
        reject(422, "immutable_field", `'/spec/${field}' cannot be changed; create a new private link attachment instead`, { pointer: `/spec/${field}` });
      }
    }
    const phase = this.world.attachmentPhaseOf(a);
    if (phase === "DEPROVISIONING" || phase === "EXPIRED") {
      const why = phase === "EXPIRED" ? "has EXPIRED and can only be deleted" : "is being deleted";
      reject(409, phase === "EXPIRED" ? "resource_expired" : "resource_being_deleted", `private link attachment '${id}' ${why}`, undefined, {
        Location: attachmentSelf(this.ctx(), a),
      });
    }
    if (typeof s.display_name === "string" && s.display_name !== a.displayName) this.world.renameAttachment(a, s.display_name);
    return this.ok(200, renderAttachment(this.ctx(), a));
  }

  /** 409 naming its connections while it has any (the default), or deprovisions them with it ("cascade"). */
  private removeAttachment(id: string, query: URLSearchParams): ApiResponse {
    const env = this.environmentParam(query);
    const a = this.attachmentIn(id, env);
    const connections = this.world.connectionsOf(a.id);
    if (a.deletedAt === undefined && connections.length > 0 && this.world.attachmentDeletion === "conflict") {
      const named = connections.map((c) => `${c.id} (${this.world.phaseOf(c)})`).join(", ");
      reject(409, "resource_has_dependents", `private link attachment '${id}' still has connections; delete them and wait until they are gone: ${named}`);
    }
    this.world.markAttachmentDeleted(a, true);
    return { status: 204, headers: {} };
  }
}

/** The list filters the spec declares, each repeatable (any of its values matches). */
const ATTACHMENT_FILTERS = ["spec.display_name", "spec.cloud", "spec.region", "status.phase"] as const;
type AttachmentFilter = (typeof ATTACHMENT_FILTERS)[number];

const CLOUD_NAMES: CloudName[] = ["AWS", "AZURE", "GCP"];

/** Region names the real API would refuse, by shape. */
const REGION_SHAPE: Record<CloudName, { pattern: RegExp; example: string }> = {
  AWS: { pattern: /^[a-z]{2}(-[a-z]+)+-[0-9]+$/, example: "us-east-1" },
  AZURE: { pattern: /^[a-z]+[0-9]*$/, example: "eastus2" },
  GCP: { pattern: /^[a-z]+-[a-z]+[0-9]+$/, example: "us-central1" },
};

function cloudNameOf(value: unknown, problems: Problems): CloudName | undefined {
  if (value === undefined) return problems.add("/spec/cloud", "'/spec/cloud' is required"), undefined;
  if (!CLOUD_NAMES.includes(value as CloudName)) return problems.add("/spec/cloud", `'/spec/cloud' must be one of ${CLOUD_NAMES.join(", ")}`), undefined;
  return value as CloudName;
}

function regionOf(cloud: CloudName | undefined, value: unknown, problems: Problems): string | undefined {
  if (value === undefined) return problems.add("/spec/region", "'/spec/region' is required"), undefined;
  if (typeof value !== "string") return problems.add("/spec/region", "'/spec/region' must be a string"), undefined;
  const shape = cloud && REGION_SHAPE[cloud];
  if (shape && (value.length > 64 || !shape.pattern.test(value))) {
    return problems.add("/spec/region", `'/spec/region' must be a ${cloud} region such as ${shape.example}`), undefined;
  }
  return value;
}

/** Field errors of a body, answered together as one 422 with an error (and a source.pointer) per field. */
class Problems {
  private readonly errors: Json[] = [];

  add(pointer: string, detail: string): void {
    this.errors.push(apiError(422, "invalid_configuration", detail, { pointer }));
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw new Reject({ status: 422, headers: {}, body: { errors: this.errors } });
  }
}

function checkDisplayName(spec: Json, problems: Problems): void {
  if (spec.display_name !== undefined && typeof spec.display_name !== "string") problems.add("/spec/display_name", "'/spec/display_name' must be a string");
}

function referenceId(value: unknown, pointer: string, problem: (pointer: string, detail: string) => void): string | undefined {
  if (value === undefined) return problem(pointer, `'${pointer}' is required`), undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return problem(pointer, `'${pointer}' must be an object`), undefined;
  const id = (value as Json).id;
  if (id === undefined) return problem(`${pointer}/id`, `'${pointer}/id' is required`), undefined;
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH) {
    return problem(`${pointer}/id`, `'${pointer}/id' must be a string of 1 to ${MAX_ID_LENGTH} characters`), undefined;
  }
  return id;
}

function sameCloud(cloud: unknown, endpoint: Endpoint): boolean {
  if (typeof cloud !== "object" || cloud === null) return false;
  const fields = cloud as Json;
  return cloudOfKind(fields.kind) === endpoint.cloud && Object.entries(fields).every(([k, v]) => k === "kind" || v === endpointIdOf(endpoint));
}

function pageSizeParam(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const size = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    reject(400, "invalid_parameter", `page_size must be an integer from 1 to ${MAX_PAGE_SIZE}, got '${raw.slice(0, 20)}'`, { parameter: "page_size" });
  }
  return size;
}

function encodeToken(value: Json): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeToken(token: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function encodePageToken(afterSeq: number, filter: string): string {
  return encodeToken({ a: afterSeq, f: filter });
}

/** Tokens are opaque to clients; they carry the position and the filters they were issued for. */
function pageTokenParam(raw: string | null, filter: string): number {
  if (raw === null) return 0;
  const decoded = raw.length <= 255 ? decodeToken(raw) : undefined;
  if (!decoded || typeof decoded.a !== "number" || decoded.f !== filter) {
    reject(400, "invalid_page_token", "page_token is not valid for this request (tokens are bound to the filters they were issued with)", { parameter: "page_token" });
  }
  return decoded.a;
}
