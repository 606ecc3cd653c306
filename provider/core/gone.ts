// Whether a failed request on one connection means that the connection is gone.
//
// A 404 does. A 403 may: Confluent hides what the caller cannot see, and answers 403 for a connection that is
// gone. Confluent's own Terraform provider reads every 403 whose body does not say "invalid API key" as not found
// (terraform-provider-confluent, internal/provider/utils.go, isNonKafkaRestApiResourceNotFound: "http.StatusForbidden
// represents http.StatusNotFound for security purposes"), so a key that lost its permission makes it drop live
// connections from state. Here a 403 is confirmed by listing the environment's connections (by attachment when
// known): the list answers without the id → gone; the id is listed → the request was refused, an error; the list
// is refused too → the credentials lack access, an error. Never a false "deleted", never an endless failure.
import { isApiError, restated, type ApiError } from "./transport/api-error";
import type { ConfluentClient } from "./transport/client";
import type { Connection } from "../connection/model";

export interface GoneQuestion {
  connectionId: string;
  environmentId: string;
  /** Narrows the list when known. */
  privateLinkAttachmentId?: string;
  /** Told when a 403 turns out to mean "gone". */
  log?: (line: string) => void;
}

function apiErrorOf(error: unknown): ApiError | undefined {
  return isApiError(error) ? error : undefined;
}

/**
 * True when `error` says the connection is gone: a 404, or a 403 for an id its environment's list does not hold.
 * False for any other error (the caller rethrows it). Throws an error of its own when a 403 is not "gone".
 */
export async function isGone(api: Pick<ConfluentClient, "listConnections">, error: unknown, q: GoneQuestion): Promise<boolean> {
  const failed = apiErrorOf(error);
  if (failed?.status === 404) return true;
  if (failed?.status !== 403) return false;
  const scope = q.privateLinkAttachmentId ? `${q.privateLinkAttachmentId} in ${q.environmentId}` : q.environmentId;
  let items: Connection[];
  try {
    items = await api.listConnections({ environmentId: q.environmentId, privateLinkAttachmentId: q.privateLinkAttachmentId });
  } catch (e) {
    const listing = apiErrorOf(e);
    if (listing?.status === 401 || listing?.status === 403) {
      throw restated(failed, `Listing the connections of ${scope} was refused as well (${listing.message}): `
        + `the credentials lack access to this environment, so whether ${q.connectionId} still exists is unknown; it is not treated as deleted. `
        + `Check the role of the API key or token (request ids ${failed.requestId ?? "none"} and ${listing.requestId ?? "none"}).`);
    }
    throw restated(failed, `Whether ${q.connectionId} is gone could not be checked: listing the connections of ${scope} failed (${(e as Error)?.message ?? String(e)})`);
  }
  if (items.some((connection) => connection.id === q.connectionId)) {
    throw restated(failed, `${q.connectionId} is listed in ${scope}, so it exists and this request was refused: `
      + `check the role of the API key or token`);
  }
  q.log?.(`${q.connectionId}: HTTP 403 and not listed in ${scope}: it is gone (Confluent answers 403 for what the caller cannot see)`);
  return true;
}
