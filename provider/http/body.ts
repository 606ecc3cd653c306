// What a 2xx answer holds: JSON, a connection, a page of connections. A body that cannot be used is an
// INVALID_RESPONSE ApiError naming the operation, the connection, the status and the request id.
import type { AxiosResponse } from "axios";
import { connectionFromWire, type Connection } from "../model";
import { header, isJsonType, shorten, statusLine } from "./answer";
import type { ApiError } from "./api-error";
import type { ApiRequest } from "./request";
import type { Page } from "./pages";

type Answer = AxiosResponse<string>;

function invalidResponse(request: ApiRequest, response: Answer, why: string): ApiError {
  const requestId = header(response.headers, "x-request-id");
  return request.fail({
    summary: `${statusLine(response.status, response.statusText)} but ${why}${requestId ? ` (request id ${requestId})` : ""}`,
    status: response.status,
    code: "INVALID_RESPONSE",
    requestId,
    // A 2xx to a mutation was applied even if its body cannot be read.
    ambiguous: request.isMutation(),
    location: header(response.headers, "location"),
  });
}

function readJson(request: ApiRequest, response: Answer): unknown {
  const contentType = header(response.headers, "content-type");
  const text = typeof response.data === "string" ? response.data : "";
  if (!isJsonType(contentType)) throw invalidResponse(request, response, `the body is ${shorten(contentType ?? "", 80)}, not JSON`);
  if (text.trim() === "") throw invalidResponse(request, response, "the body is empty where JSON was expected");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidResponse(request, response, `the body is not valid JSON: ${shorten(request.redact(text), 120)}`);
  }
}

/** `wire`: a connection object of the answer (`where` it is, for the message). */
function connectionIn(request: ApiRequest, response: Answer, wire: unknown, where: string): Connection {
  try {
    return connectionFromWire(wire);
  } catch (e) {
    // The reader quotes (shortened) values of the body: withheld when the body holds a credential.
    const raw = typeof response.data === "string" ? response.data : "";
    const why = request.quotesSecret(raw) ? "(details withheld: the body quotes the credentials)" : e instanceof Error ? e.message : String(e);
    throw invalidResponse(request, response, `${where} is not a usable connection: ${why}`);
  }
}

/** The answer of read, create and update. */
export function readConnection(request: ApiRequest, response: Answer): Connection {
  return connectionIn(request, response, readJson(request, response), "the body");
}

/** One page of the list: its connections, and the link to the next page if there is one. */
export function readConnectionPage(request: ApiRequest, response: Answer): Page<Connection> {
  const page = readJson(request, response) as { data?: unknown; metadata?: { next?: unknown } } | null;
  if (!page || typeof page !== "object" || !Array.isArray(page.data)) throw invalidResponse(request, response, 'the list response has no "data" array');
  const items = page.data.map((item: unknown, index) => connectionIn(request, response, item, `data[${index}]`));
  const next = page.metadata && typeof page.metadata === "object" ? page.metadata.next : undefined;
  if (next === undefined || next === null || next === "") return { items };
  if (typeof next !== "string") throw invalidResponse(request, response, "metadata.next is not a string");
  return { items, next };
}
