// Whether a failed request on one resource means that the resource is gone, for every kind.
//
// A 404 does. A 403 may: Confluent hides what the caller cannot see, and answers 403 for a resource that is gone.
// Confluent's own Terraform provider reads every 403 whose body does not say "invalid API key" as not found
// (terraform-provider-confluent, internal/provider/utils.go, isNonKafkaRestApiResourceNotFound: "http.StatusForbidden
// represents http.StatusNotFound for security purposes"), so a key that lost its permission makes it drop live
// resources from state. Here a 403 is confirmed by listing what holds the resource (its environment, narrowed where
// the kind can): the list answers without the id → gone; the id is listed → the request was refused, an error; the
// list is refused too → the credentials lack access, an error. Never a false "deleted", never an endless failure.
import { isApiError, restated, type ApiError } from "./transport/api-error";

export interface GoneQuestion {
  /** The resource the failed request was about. */
  id: string;
  /** What the list covers, for messages, e.g. `platt-1 in env-1`. */
  scope: string;
  /** What is listed, for messages, e.g. "connections". */
  listed: string;
  /** Lists what holds the resource (every page). */
  list(): Promise<Array<{ id: string }>>;
  /** Told when a 403 turns out to mean "gone". */
  log?: (line: string) => void;
}

function apiErrorOf(error: unknown): ApiError | undefined {
  return isApiError(error) ? error : undefined;
}

/**
 * True when `error` says the resource is gone: a 404, or a 403 for an id the list does not hold. False for any
 * other error (the caller rethrows it). Throws an error of its own when a 403 is not "gone".
 */
export async function isGone(error: unknown, q: GoneQuestion): Promise<boolean> {
  const failed = apiErrorOf(error);
  if (failed?.status === 404) return true;
  if (failed?.status !== 403) return false;
  let items: Array<{ id: string }>;
  try {
    items = await q.list();
  } catch (e) {
    const listing = apiErrorOf(e);
    if (listing?.status === 401 || listing?.status === 403) {
      throw restated(failed, `Listing the ${q.listed} of ${q.scope} was refused as well (${listing.message}): `
        + `the credentials lack access to this environment, so whether ${q.id} still exists is unknown; it is not treated as deleted. `
        + `Check the role of the API key or token (request ids ${failed.requestId ?? "none"} and ${listing.requestId ?? "none"}).`);
    }
    throw restated(failed, `Whether ${q.id} is gone could not be checked: listing the ${q.listed} of ${q.scope} failed (${(e as Error)?.message ?? String(e)})`);
  }
  if (items.some((item) => item.id === q.id)) {
    throw restated(failed, `${q.id} is listed in ${q.scope}, so it exists and this request was refused: check the role of the API key or token`);
  }
  q.log?.(`${q.id}: HTTP 403 and not listed in ${q.scope}: it is gone (Confluent answers 403 for what the caller cannot see)`);
  return true;
}
