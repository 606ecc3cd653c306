// ApiError: a failed API request as plain strings (never a request, a config or an axios error, which carry the
// credentials), and its message, derived from those fields in this one place.

export type Operation = "list" | "read" | "create" | "update" | "delete";

/** The resource kind a request is about, as messages name it. */
export const CONNECTION_NOUN = "private link attachment connection";

/** e.g. `create private link attachment connection`, `list private link attachments`. */
export function operationLabel(operation: Operation, noun: string = CONNECTION_NOUN): string {
  return operation === "list" ? `list ${noun}s` : `${operation} ${noun}`;
}

/** What opens every message about a request, e.g. `read private link attachment connection (plattc-1 in env-1)`. */
export function requestHead(operation: Operation, subject: string, noun?: string): string {
  return `${operationLabel(operation, noun)} (${subject})`;
}

/** What an ApiError tells about the failed call, besides its message. */
interface ApiErrorDetails {
  operation: Operation;
  /** The kind the request was about (default: a private link attachment connection). */
  resource?: string;
  /** The id of the resource the request was about, when it names one. */
  resourceId?: string;
  /** resourceId, for a request about a connection. */
  connectionId?: string;
  status?: number;
  /**
   * The API's `errors[0].code` when it sent one, else the transport error code (ECONNRESET, …), else one of
   * ours: DEADLINE_EXCEEDED, CANCELED, INVALID_RESPONSE, PAGING_LOOP, RESPONSE_TOO_LARGE.
   */
  code?: string;
  detail?: string;
  requestId?: string;
  /** Location header (409 conflicts name the existing object; 201/202 name the new one). */
  location?: string;
}

/** The fields the message is made of: `<operation> (<subject>): <summary>[ after <attempts> attempts][; <note>]…[. <finding>]…`. */
export interface ApiErrorFields extends ApiErrorDetails {
  /** What the request was about, e.g. `plattc-1 in env-1`. */
  subject: string;
  /** What ended it, e.g. `HTTP 503 Service Unavailable: busy (request id r-1)`. */
  summary: string;
  /** Attempts made, when the request failed in transit or was refused (the message counts more than one). */
  attempts?: number;
  notes?: string[];
  /** Sentences of what was found out afterwards (e.g. by listing): see `restated`. */
  findings?: string[];
  /** The request may have been applied server-side (e.g. POST reset/timeout/5xx after sending). */
  ambiguous?: boolean;
}

interface ApiErrorInit extends ApiErrorFields {
  /** Applied to every text kept (e.g. scrubbing credential values a server echoed), and to the message. */
  redact?: (text: string) => string;
}

type Kept = ApiErrorFields & { notes: string[]; findings: string[]; ambiguous: boolean };

function unchanged(text: string): string {
  return text;
}

function kept(fields: ApiErrorFields, redact: (text: string) => string): Kept {
  const scrub = (text: string | undefined): string | undefined => (text === undefined ? undefined : redact(text));
  return {
    ...fields,
    subject: redact(fields.subject),
    summary: redact(fields.summary),
    code: scrub(fields.code),
    detail: scrub(fields.detail),
    requestId: scrub(fields.requestId),
    location: scrub(fields.location),
    notes: (fields.notes ?? []).map(redact),
    findings: fields.findings ?? [],
    ambiguous: fields.ambiguous ?? false,
  };
}

function messageOf(fields: Kept): string {
  const attempts = fields.attempts !== undefined && fields.attempts > 1 ? ` after ${fields.attempts} attempts` : "";
  const notes = fields.notes.map((note) => `; ${note}`).join("");
  const findings = fields.findings.map((finding) => `. ${finding}`).join("");
  return `${requestHead(fields.operation, fields.subject, fields.resource)}: ${fields.summary}${attempts}${notes}${findings}`;
}

// The class carries every field (declaration merging) without restating the list.
export interface ApiError extends ApiErrorDetails {}

export class ApiError extends Error {
  declare subject: string;
  declare summary: string;
  declare attempts: number | undefined;
  declare notes: string[];
  declare findings: string[];
  declare ambiguous: boolean;

  constructor(init: ApiErrorInit) {
    const { redact = unchanged, ...given } = init;
    const fields = kept(given, redact);
    // Redacted as a whole too: a credential may straddle two fields.
    const message = redact(messageOf(fields));
    super(message);
    this.name = "ApiError";
    Object.assign(this, fields);
  }
}

/** The same error with a sentence of what was found out afterwards: operation, resource id, status and request id stay. */
export function restated(error: ApiError, finding: string): ApiError {
  const { operation, resource, resourceId, subject, summary, connectionId, status, code, detail, requestId, location, attempts, notes, findings, ambiguous } = error;
  return new ApiError({
    operation, resource, resourceId, subject, summary, connectionId, status, code, detail, requestId, location, attempts, notes, ambiguous, findings: [...(findings ?? []), finding],
  });
}

/** Whether `error` is an ApiError (optionally with this status). */
export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}
