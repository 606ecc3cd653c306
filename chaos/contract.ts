// What counts as a clear error: the contract every failure of the provider must meet, judged on the message a
// user sees. A message is clear when it names
//   1. what was being done: the operation (create, read, update, delete — or the API call that failed, e.g.
//      "read private link attachment connection", or the timeout that bounds it, e.g. timeouts.create);
//   2. what it was done to: the resource's id, or while it has none yet what names it (a connection's endpoint, an
//      attachment's display name);
//   3. why it stopped: the HTTP status; or the deadline (which timeout, or "deadline exceeded"); or the phase
//      the API reported (FAILED, DISCONNECTED, EXPIRED, …); or, when no answer came at all, the transport error code;
//   4. the X-Request-Id of every HTTP error it names: the id the API sent with that answer, so support can find it;
// and is a message at all (an Error of a user-facing class, without "[object Object]" or "undefined").
// Length earns nothing: a long message missing one clause is not clear.

export type Operation = "create" | "read" | "update" | "delete";

export interface ErrorContext {
  /** The provider operation the user's command ran when it failed. */
  operation: Operation;
  /** The resource's id, once the provider knows it. */
  resourceId?: string;
  /**
   * What names the resource before it has an id: a connection's endpoint (Azure resource ids are compared without
   * case), an attachment's display name.
   */
  subject: string;
  /**
   * Every X-Request-Id the API answered with and its status (the emulator's request log). When given, a request id
   * in the message must be one of these, with the status the message names.
   */
  answers?: ReadonlyMap<string, number | "reset">;
}

export type Clause = "message" | "operation" | "subject" | "cause" | "requestId";

const BUG_CLASSES = new Set(["TypeError", "ReferenceError", "RangeError", "SyntaxError"]);
const GARBAGE = /\[object Object\]|\bundefined\b|\bNaN\b|Cannot read propert|is not a function|is not iterable/;

const API_CALL = /\b(create|read|update|delete|list) private link attachment( connection)?s?\b/;
const OPERATION_WORDS: Record<Operation, RegExp> = {
  create: /\bcreat(e|ed|es|ing|ion)\b|\btimeouts\.create\b/,
  read: /\bread\b|\brefresh\b/,
  update: /\bupdat(e|ed|es|ing)\b|\brenam(e|ed|ing)\b|\btimeouts\.update\b/,
  delete: /\bdelet(e|ed|es|ing|ion)\b|\btimeouts\.delete\b/,
};

/** "HTTP 503 Service Unavailable", or a status in parentheses: "(404)", "(403, and not listed …)". */
const HTTP_STATUS = /\bHTTP ([1-5]\d\d)\b|\((4\d\d|5\d\d)\b[,;)]/g;
const DEADLINE = /\bdeadline exceeded\b|\btimeouts\.(create|update|delete) = \S+ passed\b/;
const PHASE = /\b(FAILED|DISCONNECTED|EXPIRED)\b|\bwent to [A-Z][A-Z_]* instead of [A-Z]|\bstill exists \([A-Z][A-Z_]*\)/;
const TRANSPORT = /\b(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_[A-Z_]+)\b/;
/** "request id X", "request ids X and Y". */
const REQUEST_IDS = /\brequest ids? ([\w-]+)(?: and ([\w-]+))?/g;

function messageOf(error: unknown): { message: string; className: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== "string") return undefined;
  return { message, className: error.constructor?.name ?? "Object" };
}

function namesSubject(message: string, context: ErrorContext): boolean {
  if (context.resourceId && message.includes(context.resourceId)) return true;
  if (context.subject === "") return false;
  return context.subject.startsWith("/subscriptions/")
    ? message.toLowerCase().includes(context.subject.toLowerCase())
    : message.includes(context.subject);
}

/** The HTTP error statuses (>= 400) the message reports. */
function namedErrorStatuses(message: string): number[] {
  const statuses = new Set<number>();
  for (const m of message.matchAll(HTTP_STATUS)) {
    const status = Number(m[1] ?? m[2]);
    if (status >= 400) statuses.add(status);
  }
  return [...statuses];
}

function namedRequestIds(message: string): string[] {
  return [...message.matchAll(REQUEST_IDS)].flatMap((m) => [m[1]!, ...(m[2] ? [m[2]] : [])]).filter((id) => id !== "none");
}

function namesRequestIds(message: string, context: ErrorContext): boolean {
  const statuses = namedErrorStatuses(message);
  if (statuses.length === 0) return true;
  const ids = namedRequestIds(message);
  if (!context.answers) return ids.length > 0;
  if (ids.some((id) => !context.answers!.has(id))) return false;
  // Each status the message names comes with the id of an answer that had it.
  return statuses.every((status) => ids.some((id) => context.answers!.get(id) === status));
}

/** The clauses of the contract `error` does not meet (empty: the error is clear). */
export function unmetClauses(error: unknown, context: ErrorContext): Clause[] {
  const found = messageOf(error);
  if (!found || found.message.trim() === "" || BUG_CLASSES.has(found.className) || GARBAGE.test(found.message)) return ["message"];
  const { message } = found;
  const unmet: Clause[] = [];
  if (!API_CALL.test(message) && !OPERATION_WORDS[context.operation].test(message)) unmet.push("operation");
  if (!namesSubject(message, context)) unmet.push("subject");
  if (namedErrorStatuses(message).length === 0 && !/\bHTTP [1-5]\d\d\b/.test(message) && !DEADLINE.test(message) && !PHASE.test(message) && !TRANSPORT.test(message)) {
    unmet.push("cause");
  }
  if (!namesRequestIds(message, context)) unmet.push("requestId");
  return unmet;
}

export function isClear(error: unknown, context: ErrorContext): boolean {
  return unmetClauses(error, context).length === 0;
}
