// What an attachment's create is, for the core's create (core/create.ts): its POST, and the attachments that fit
// these inputs (the same environment, cloud, region and display name, serving or on its way to): what adoptExisting
// takes when exactly one fits, and what a POST whose answer was lost may have made (then also created no earlier
// than the POST). The API allows any number of them: several that fit are named in an error, never chosen among.
import type { CreatePlan } from "../core/create";
import { describeTimeout } from "../core/settings";
import type { AttachmentClient } from "./client";
import { attachmentGone } from "./gone";
import { toCreateRequest, type AttachmentInputs, type AttachmentState } from "./model";
import { waitForAttachmentGone } from "./waits";

/** Phases of an attachment no create can go on with: being deleted, failed, expired. */
const NOT_TAKEN = ["DEPROVISIONING", "FAILED", "EXPIRED"];

function attachmentLabel(inputs: AttachmentInputs): string {
  const name = inputs.displayName !== undefined ? `"${inputs.displayName}" ` : "unnamed ";
  return `attachment ${name}(${inputs.cloud} ${inputs.region} in ${inputs.environment.id})`;
}

function fitsInputs(state: AttachmentState, inputs: AttachmentInputs): boolean {
  return state.environment.id === inputs.environment.id
    && state.cloud === inputs.cloud
    && state.region === inputs.region
    && (state.displayName ?? "") === (inputs.displayName ?? "");
}

export function attachmentCreatePlan(inputs: AttachmentInputs): CreatePlan<AttachmentClient, AttachmentState> {
  const label = attachmentLabel(inputs);
  return {
    label,
    what: "attachment",
    held: "taken",
    adoptExisting: inputs.adoptExisting === true,
    // The API holds any number of attachments alike: nothing makes one fitting attachment the only one.
    duplicates: { remove: (api, id) => api.deleteAttachment(id, inputs.environment.id) },
    collectionSegment: "private-link-attachments",
    post: async (api) => (await api.createAttachment(toCreateRequest(inputs))).id,
    async findFitting(api) {
      const items = await api.listAttachments(inputs.environment.id);
      return items.filter(({ state }) => fitsInputs(state, inputs) && !NOT_TAKEN.includes(state.phase));
    },
    read: async (api, id) => (await api.getAttachment(id, inputs.environment.id)).state,
    isGone: (api, id, error, log) => attachmentGone(api, id, inputs.environment.id, log)(error),
    isMadeFrom: (state) => fitsInputs(state, inputs),
    async waitUntilGone(api, id, wait) {
      await waitForAttachmentGone({
        read: async () => (await api.getAttachment(id, inputs.environment.id)).state,
        id, ...wait,
        deadlineSource: `timeouts.create = ${describeTimeout(inputs.timeouts, "create")}`,
        isGone: attachmentGone(api, id, inputs.environment.id, (line) => wait.log(line, true)),
      });
    },
    taken: (existing, cause) => new Error(
      `the API refused to create the ${label}${existing ? `: ${existing} exists already` : ""}. `
      + `Set adoptExisting: true on this resource to manage the existing attachment from this program. (${cause})`,
    ),
    several: (ids, why) => new Error(
      `${why}: ${ids.join(", ")}. None of them is taken. Give them distinct display names, or delete the extra ones, `
      + `or leave them out of this program and reference one read-only with PrivateLinkAttachment.get("name", "${inputs.environment.id}/${ids[0]}").`,
    ),
    mayStillApply: (cause) => new Error(
      `${cause}. No ${label} was found afterwards, but the API may still apply the request: `
      + "if a second attachment appears, set adoptExisting: true on this resource to manage it, and delete the other.",
    ),
  };
}
