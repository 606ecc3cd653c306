// Readers of what the API answered, as plain strings: headers, status lines, error bodies. Nothing here sees a
// request, so nothing here can hold a credential.
import { STATUS_CODES } from "node:http";
import type { AxiosError } from "axios";
import type { WireFailure } from "../../connection/wire";
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

export function errorBodyInfo(body: unknown, contentType: string | undefined): ErrorBodyInfo {
  const text = typeof body === "string" ? body : "";
  if (text.trim() === "") return {};
  if (isJsonType(contentType)) {
    try {
      const parsed = JSON.parse(text) as WireFailure;
      const first = Array.isArray(parsed?.errors) ? parsed.errors[0] : undefined;
      if (first && typeof first === "object") {
        const pick = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value : undefined);
        const detail = pick(first.detail) ?? pick(first.title) ?? pick(first.code);
        return { detail: detail === undefined ? undefined : shorten(detail, 500), code: pick(first.code) };
      }
      return { note: "JSON body without an errors list" };
    } catch {
      return { note: `invalid JSON body: ${shorten(text, 120)}` };
    }
  }
  if (/html/i.test(contentType ?? "") || /^\s*</.test(text)) return { note: `${contentType ?? "HTML"} body` };
  return { note: `${contentType} body: ${shorten(text, 200)}` };
}
