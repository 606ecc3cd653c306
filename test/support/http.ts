// A small HTTP client for emulator tests: every JSON answer from a strict emulator is checked against the spec.
import { assertMatchesSpec } from "./openapi";

const API_ROUTES: [RegExp, string][] = [
  [/^\/networking\/v1\/private-link-attachment-connections$/, "/networking/v1/private-link-attachment-connections"],
  [/^\/networking\/v1\/private-link-attachment-connections\/[^/]+$/, "/networking/v1/private-link-attachment-connections/{id}"],
  [/^\/networking\/v1\/private-link-attachments$/, "/networking/v1/private-link-attachments"],
  [/^\/networking\/v1\/private-link-attachments\/[^/]+$/, "/networking/v1/private-link-attachments/{id}"],
];

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Authorization header value; default: the emulator's Basic credentials. null sends none. */
  auth?: string | null;
  /** Skip the spec check (quirks mode, or deliberately off-spec answers). */
  unchecked?: boolean;
}

export function basic(apiKey: string, apiSecret: string): string {
  return `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString("base64")}`;
}

export class Caller {
  readonly checked: string[] = [];
  constructor(readonly baseUrl: string, readonly defaultAuth: string, readonly strict = true) {}

  async call(pathAndQuery: string, options: CallOptions = {}): Promise<Reply> {
    const method = options.method ?? "GET";
    const headers: Record<string, string> = {};
    const auth = options.auth === undefined ? this.defaultAuth : options.auth;
    if (auth !== null) headers.Authorization = auth;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] = "application/json";
    }
    const res = await fetch(this.baseUrl + pathAndQuery, { method, headers, body: payload });
    const text = await res.text();
    const body = text === "" ? undefined : JSON.parse(text);
    const path = new URL(this.baseUrl + pathAndQuery).pathname;
    const route = API_ROUTES.find(([re]) => re.test(path))?.[1];
    if (this.strict && !options.unchecked && route) {
      assertMatchesSpec(route, method, res.status, body);
      this.checked.push(`${method} ${route} ${res.status}`);
    }
    return { status: res.status, headers: res.headers, text, body };
  }
}
