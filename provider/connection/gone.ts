// Whether a failed request on a connection means it is gone: a 404, or a 403 its attachment's (else its
// environment's) list of connections confirms (core/gone.ts).
import { isGone } from "../core/gone";
import type { ConfluentClient } from "./client";

export function connectionGone(
  api: Pick<ConfluentClient, "listConnections">,
  where: { connectionId: string; environmentId: string; privateLinkAttachmentId?: string },
  log?: (line: string) => void,
): (error: unknown) => Promise<boolean> {
  const { connectionId, environmentId, privateLinkAttachmentId } = where;
  return (error) => isGone(error, {
    id: connectionId,
    scope: privateLinkAttachmentId ? `${privateLinkAttachmentId} in ${environmentId}` : environmentId,
    listed: "connections",
    list: () => api.listConnections({ environmentId, privateLinkAttachmentId }),
    log,
  });
}
