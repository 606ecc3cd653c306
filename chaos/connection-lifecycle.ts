// A connection's part of a chaos schedule (chaos/lifecycle.ts), on the attachment it is given.
import type { Emulator } from "../emulator";
import type { CheckedInputs } from "../provider/connection/inputs";
import type { ConnectionOutputs, PrivateLinkAttachmentConnectionProvider } from "../provider/connection/provider";
import { lifecycle } from "./lifecycle";
import { sameEndpointId, type Observations, type Observed } from "./observations";
import type { Outside } from "./outside";
import type { ResourcePlan } from "./plan";

export interface ConnectionRun {
  provider: PrivateLinkAttachmentConnectionProvider;
  emulator: Emulator;
  outside: Outside;
  seen: Observations;
}

export const observedConnection = (r: ResourcePlan): Observed => ({ label: `r${r.n}`, subject: r.endpointId });

export function connectionLifecycle({ provider, emulator, outside, seen }: ConnectionRun, r: ResourcePlan, attachmentId: string): Promise<void> {
  const control = emulator.control;
  const me = observedConnection(r);
  return lifecycle<CheckedInputs, ConnectionOutputs>({
    me, seen,
    hooks: provider,
    args: { ...r.args, privateLinkAttachment: { id: attachmentId } },
    onServer: (id) => control.connection(id),
    expectCreated(step, id, outs) {
      const view = control.connection(id);
      if (!view) return seen.contradicts(me, step, `${id} reported READY but is not on the server`);
      if (view.phase !== "READY" || outs?.phase !== "READY") seen.contradicts(me, step, `${id} reported ${String(outs?.phase)}, server ${view.phase}`);
      if (!sameEndpointId(view.endpointId, r.endpointId) || view.privateLinkAttachmentId !== attachmentId) seen.contradicts(me, step, `${id} is not the resource's endpoint and attachment`);
      if (view.displayName !== outs?.displayName) seen.contradicts(me, step, `${id} reported name ${String(outs?.displayName)}, server ${String(view.displayName)}`);
    },
    // The operator fixes what failed (a FAILED connection recovers, a held one is released); the next `up` resumes.
    afterInitError: () => "resume",
    fix: (id) => outside.fix(id),
    meanwhile: (id) => {
      outside.afterReady(r, id);
      return Promise.resolve(true);
    },
    never: () => Promise.resolve(),
  });
}
