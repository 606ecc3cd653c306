// What every handler takes and gives: a request already read, the answer to send, and Confluent's error body.
import { randomUUID } from "node:crypto";

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export type Handler = (request: ApiRequest) => ApiResponse;

export interface ErrorSource {
  pointer?: string;
  parameter?: string;
}

const TITLES: Record<number, string> = {
  400: "Bad Request", 401: "Authentication Required", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
  409: "Conflict", 422: "Validation Failed", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
  503: "Service Unavailable", 504: "Gateway Timeout",
};

/** One entry of a Confluent `errors` array. */
export function apiError(status: number, code: string, detail: string, source?: ErrorSource): Record<string, unknown> {
  const error: Record<string, unknown> = { id: randomUUID(), status: String(status), code, title: TITLES[status] ?? "Error", detail };
  if (source) error.source = source;
  return error;
}

export function failure(status: number, code: string, detail: string, source?: ErrorSource, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers, body: { errors: [apiError(status, code, detail, source)] } };
}
