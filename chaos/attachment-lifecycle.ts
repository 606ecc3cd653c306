// The schedule's attachment (chaos/lifecycle.ts). The connections on it start once it serves them and are destroyed
// before it, as the engine orders a program that wires them to it; when its create fails for good they never start,
// as the engine skips what depends on a failed resource.
import type { Emulator } from "../emulator";
import type { CheckedAttachmentInputs } from "../provider/attachment/inputs";
import type { AttachmentOutputs, PrivateLinkAttachmentProvider } from "../provider/attachment/provider";
import { lifecycle } from "./lifecycle";
import type { Observations, Observed } from "./observations";
import type { Outside } from "./outside";
import type { AttachmentPlan } from "./plan";

const SERVING = ["WAITING_FOR_CONNECTIONS", "READY"];

export interface AttachmentRun {
  provider: PrivateLinkAttachmentProvider;
  emulator: Emulator;
  outside: Outside;
  seen: Observations;
}

export const observedAttachment = (a: AttachmentPlan): Observed => ({ label: "a", subject: a.displayName });

/**
 * `connections` runs the lifecycles of the connections on it, given its id, once it serves connections; with
 * undefined when it never will, so they are skipped.
 */
export function attachmentLifecycle({ provider, emulator, outside, seen }: AttachmentRun, a: AttachmentPlan, connections: (id: string | undefined) => Promise<void>): Promise<void> {
  const control = emulator.control;
  const me = observedAttachment(a);
  return lifecycle<CheckedAttachmentInputs, AttachmentOutputs>({
    me, seen,
    hooks: provider,
    args: a.args,
    onServer: (id) => control.attachment(id),
    expectCreated(step, id, outs) {
      const view = control.attachment(id);
      if (!view) return seen.contradicts(me, step, `${id} reported ${String(outs?.phase)} but is not on the server`);
      if (!SERVING.includes(view.phase) || outs?.phase !== view.phase) seen.contradicts(me, step, `${id} reported ${String(outs?.phase)}, server ${view.phase}`);
      if (view.cloud !== a.args.cloud || view.region !== a.args.region || view.environmentId !== (a.args.environment as { id: string }).id) {
        seen.contradicts(me, step, `${id} is not in the resource's cloud, region and environment`);
      }
      if (view.displayName !== outs?.displayName) seen.contradicts(me, step, `${id} reported name ${String(outs?.displayName)}, server ${String(view.displayName)}`);
    },
    // FAILED: the next `up` would replace it, so the user destroys it; still PROVISIONING: released, and resumed.
    afterInitError: (id) => (control.attachment(id)?.phase === "PROVISIONING" ? "resume" : "destroy"),
    fix: (id) => outside.fix(id),
    async meanwhile(id) {
      await connections(id);
      // The engine deletes the attachment only once every connection on it is: one a failed destroy left stops it.
      if ((control.attachment(id)?.connectionIds.length ?? 0) > 0) return false;
      outside.afterServing(a, id);
      return true;
    },
    never: () => connections(undefined),
  });
}
