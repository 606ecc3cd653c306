// What a 2xx answer holds: JSON, one resource, a page of resources, each read by its kind's reader. A body that
// cannot be used is an INVALID_RESPONSE ApiError naming the operation, the resource, the status and the request id.
import type { AxiosResponse } from "axios";
import { header, isJsonType, shorten, statusLine } from "./answer";
import type { ApiError } from "./api-error";
import type { ApiRequest } from "./request";
import type { Page } from "./pages";

type Answer = AxiosResponse<string>;

/** One resource as the API describes it: its id and its state in Pulumi's shape. */
export interface Item<S> {
  id: string;
  state: S;
}

/** A kind's reader of its wire JSON: throws (e.g. a MalformedResponseError naming the field) when it cannot. */
type ItemReader<S> = (wire: unknown) => Item<S>;

/** How a kind's answers are read: its reader, and its name in a word for messages (e.g. "connection"). */
export interface Reading<S> {
  read: ItemReader<S>;
  word: string;
}

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

/** `wire`: a resource object of the answer (`where` it is, for the message). */
function itemIn<S>(request: ApiRequest, response: Answer, reading: Reading<S>, wire: unknown, where: string): Item<S> {
  try {
    return reading.read(wire);
  } catch (e) {
    // The reader quotes (shortened) values of the body: withheld when the body holds a credential.
    const raw = typeof response.data === "string" ? response.data : "";
    const why = request.quotesSecret(raw) ? "(details withheld: the body quotes the credentials)" : e instanceof Error ? e.message : String(e);
    throw invalidResponse(request, response, `${where} is not a usable ${reading.word}: ${why}`);
  }
}

/** The answer of read, create and update. */
export function readItem<S>(request: ApiRequest, response: Answer, reading: Reading<S>): Item<S> {
  return itemIn(request, response, reading, readJson(request, response), "the body");
}

/** One page of a list: its resources, and the link to the next page if there is one. */
export function readItemPage<S>(request: ApiRequest, response: Answer, reading: Reading<S>): Page<Item<S>> {
  const page = readJson(request, response) as { data?: unknown; metadata?: { next?: unknown } } | null;
  if (!page || typeof page !== "object" || !Array.isArray(page.data)) throw invalidResponse(request, response, 'the list response has no "data" array');
  const items = page.data.map((item: unknown, index) => itemIn(request, response, reading, item, `data[${index}]`));
  const next = page.metadata && typeof page.metadata === "object" ? page.metadata.next : undefined;
  if (next === undefined || next === null || next === "") return { items };
  if (typeof next !== "string") throw invalidResponse(request, response, "metadata.next is not a string");
  return { items, next };
}
