// What a connection's create is, for the core's create (core/create.ts): its POST, the live connection for the same
// endpoint in the attachment (what adoptExisting takes and what a lost POST may have made), how the connection a
// lost request made is recognised, and what a conflict means: the endpoint is connected already.
import type { CreatePlan } from "../core/create";
import { describeTimeout } from "../core/settings";
import type { ConfluentClient } from "./client";
import { connectionGone } from "./gone";
import { endpointOf, sameEndpoint, toCreateRequest, type ConnectionInputs, type ConnectionState, type EndpointCarrier } from "./model";
import { waitForGone } from "./waits";

export function endpointLabel(inputs: EndpointCarrier): string {
  const endpoint = endpointOf(inputs);
  return endpoint ? `${endpoint.cloud} endpoint ${endpoint.id}` : "endpoint";
}

/** Whether a connection is what a create request with these inputs makes: same environment, attachment, endpoint and display name. */
function isMadeFrom(state: ConnectionState, inputs: ConnectionInputs): boolean {
  return state.environment.id === inputs.environment.id
    && state.privateLinkAttachment.id === inputs.privateLinkAttachment.id
    && sameEndpoint(endpointOf(state), endpointOf(inputs))
    && (state.displayName ?? "") === (inputs.displayName ?? "");
}

export function connectionCreatePlan(inputs: ConnectionInputs): CreatePlan<ConfluentClient, ConnectionState> {
  const label = endpointLabel(inputs);
  const where = (connectionId: string) => ({ connectionId, environmentId: inputs.environment.id, privateLinkAttachmentId: inputs.privateLinkAttachment.id });
  return {
    label,
    what: "connection",
    held: "attached",
    adoptExisting: inputs.adoptExisting === true,
    duplicates: "refused",
    collectionSegment: "private-link-attachment-connections",
    post: async (api) => (await api.createConnection(toCreateRequest(inputs))).connection.id,
    async findFitting(api) {
      const wanted = endpointOf(inputs);
      const items = await api.listConnections({ environmentId: inputs.environment.id, privateLinkAttachmentId: inputs.privateLinkAttachment.id });
      return items.filter(({ state }) => wanted && sameEndpoint(endpointOf(state), wanted) && state.phase !== "DEPROVISIONING");
    },
    read: async (api, id) => (await api.getConnection(id, inputs.environment.id)).state,
    isGone: (api, id, error, log) => connectionGone(api, where(id), log)(error),
    isMadeFrom: (state) => isMadeFrom(state, inputs),
    async waitUntilGone(api, id, wait) {
      await waitForGone({
        reader: api, id, environmentId: inputs.environment.id, ...wait,
        deadlineSource: `timeouts.create = ${describeTimeout(inputs.timeouts, "create")}`,
        isGone: connectionGone(api, where(id), (line) => wait.log(line, true)),
      });
    },
    taken: (existing, cause) => new Error(
      `${label} is already connected to ${inputs.privateLinkAttachment.id}${existing ? ` by ${existing}` : ""}. `
      + `Set adoptExisting: true on this resource to manage that connection from this program, or delete it first. (${cause})`,
    ),
    several: (ids, why) => new Error(`${why}: ${ids.join(", ")}. None of them is taken; delete the ones not wanted, then run \`pulumi up\` again.`),
    mayStillApply: (cause) => new Error(
      `${cause}. No connection for ${label} was found afterwards, but the API may still apply the request: `
      + `if the next \`pulumi up\` reports that the endpoint is already connected, set adoptExisting: true to manage that connection.`,
    ),
  };
}
