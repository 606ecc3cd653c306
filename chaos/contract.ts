// The "clear error" contract of the chaos runs. A user who sees an error must be able to tell, from the message
// alone: which operation failed, on which connection (or, before one exists, which endpoint), why — the HTTP
// status, the deadline that passed, the phase the API reported or the network failure when no answer came —
// and, when the API answered, the request id to quote to Confluent support. Length proves nothing.

/** What the caller knows about the failed call, to check the message against. */
export interface ErrorFacts {
  /** The connection id, when one was known. */
  connectionId?: string;
  /** The endpoint id (vpce-…, Azure resource id, PSC connection id). */
  endpointId: string;
  /** The X-Request-Id the API answered with, when the error carries one. */
  requestId?: string;
}

export type ClarityGap = "operation" | "subject" | "cause" | "request id" | "not an Error";

const OPERATION = /\b(create|creating|created|read|reading|update|updating|updated|rename|renaming|delete|deleting|deleted|list|listing)\b|\btimeouts\.(create|update|delete)\b/i;
const HTTP_STATUS = /\bHTTP [1-5]\d\d\b|\((?:HTTP )?[1-5]\d\d\b/;
const DEADLINE = /\btimeouts\.(create|update|delete) = \S+ passed\b|\bdeadline exceeded\b|\btimeout of \d+ms exceeded\b/i;
const PHASE = /\b(FAILED|went to [A-Z_]+ instead of READY|still exists \([A-Z_]+\))/;
const NETWORK = /\b(timed out|could not connect|connection failed) \(E[A-Z_]+|\bE(CONNRESET|CONNREFUSED|CONNABORTED|TIMEDOUT|PIPE|NOTFOUND|AI_AGAIN|HOSTUNREACH|NETUNREACH)\b/;
const REQUEST_ID = /\brequest id [\w-]{6,}/i;

/** The parts of the contract a message misses; empty when the error is clear. */
export function clarityGaps(error: unknown, facts: ErrorFacts): ClarityGap[] {
  if (!(error instanceof Error) || typeof error.message !== "string") return ["not an Error"];
  const message = error.message;
  const gaps: ClarityGap[] = [];
  if (!OPERATION.test(message)) gaps.push("operation");
  const namesSubject = (facts.connectionId !== undefined && message.includes(facts.connectionId)) || message.includes(facts.endpointId);
  if (!namesSubject) gaps.push("subject");
  const status = HTTP_STATUS.test(message);
  if (!(status || DEADLINE.test(message) || PHASE.test(message) || NETWORK.test(message))) gaps.push("cause");
  // Every answer of the API carries X-Request-Id: a message quoting an HTTP status must quote the id with it.
  const requestIdMissing = facts.requestId !== undefined ? !message.includes(facts.requestId) : /\bHTTP [1-5]\d\d\b/.test(message) && !REQUEST_ID.test(message);
  if (requestIdMissing) gaps.push("request id");
  return gaps;
}

export function isClearError(error: unknown, facts: ErrorFacts): boolean {
  return clarityGaps(error, facts).length === 0;
}
