// Readers of what the API answered, as plain strings: headers, status lines, error bodies. Nothing here sees a
// request, so nothing here can hold a credential.
import { STATUS_CODES } from "node:http";
import type { AxiosError } from "axios";
import { headerString } from "./retry";

export function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  return headerString((headers as Record<string, unknown>)[name]);
}

/**
 * Status and request id of an answer axios abandoned without a `response` (a body over maxContentLength): Node's
 * ClientRequest keeps the IncomingMessage as `res`.
 */
export function rawResponseOf(error: AxiosError): { status?: number; statusText?: string; requestId?: string } | undefined {
  const res = (error.request as { res?: { statusCode?: unknown; statusMessage?: unknown; headers?: unknown } } | undefined)?.res;
  if (!res || typeof res !== "object") return undefined;
  return {
    status: typeof res.statusCode === "number" ? res.statusCode : undefined,
    statusText: typeof res.statusMessage === "string" ? res.statusMessage : undefined,
    requestId: header(res.headers, "x-request-id"),
  };
}

export function statusLine(status: number, statusText?: string): string {
  const text = STATUS_CODES[status] ?? statusText ?? "";
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function isJsonType(contentType: string | undefined): boolean {
  return contentType === undefined || /^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim());
}

export interface ErrorBodyInfo {
  detail?: string;
  code?: string;
  /** Short description of a body that was not a JSON error document. */
  note?: string;
}

/** The API's error document (a Confluent Failure): `errors[0]`. */
interface WireFailure {
  errors?: Array<{ code?: unknown; title?: unknown; detail?: unknown }>;
  /** An OAuth token endpoint's error (RFC 6749 §5.2). */
  error?: unknown;
  error_description?: unknown;
}

function pick(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The words of a JSON error body: a Confluent Failure's first error, else an OAuth error. */
function jsonErrorInfo(parsed: WireFailure | null): ErrorBodyInfo | undefined {
  const first = Array.isArray(parsed?.errors) ? parsed.errors[0] : undefined;
  if (first && typeof first === "object") {
    const detail = pick(first.detail) ?? pick(first.title) ?? pick(first.code);
    return { detail: detail === undefined ? undefined : shorten(detail, 500), code: pick(first.code) };
  }
  const oauthCode = pick(parsed?.error);
  const description = pick(parsed?.error_description);
  if (oauthCode || description) return { detail: shorten([oauthCode, description].filter(Boolean).join(": "), 500), code: oauthCode };
  return undefined;
}

/**
 * What an error answer says, for the API and the token endpoints alike: the detail and code of a JSON error document,
 * or a short note on any other body. `body` must be redacted already: a cut through a secret would leave a piece of it.
 */
export function errorBodyInfo(body: unknown, contentType: string | undefined): ErrorBodyInfo {
  const text = typeof body === "string" ? body : "";
  if (text.trim() === "") return {};
  if (isJsonType(contentType)) {
    try {
      return jsonErrorInfo(JSON.parse(text) as WireFailure | null) ?? { note: "JSON body without an errors list" };
    } catch {
      return { note: `invalid JSON body: ${shorten(text, 120)}` };
    }
  }
  if (/html/i.test(contentType ?? "") || /^\s*</.test(text)) return { note: `${contentType ?? "HTML"} body` };
  return { note: `${contentType} body: ${shorten(text, 200)}` };
}
