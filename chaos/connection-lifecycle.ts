// One connection's part of a chaos schedule: the user's commands create → refresh → rename → refresh → destroy,
// through the provider, each step checked on the emulator's own view. It stops where a user would, after following
// what an error said to do; a connection an error left on the server is destroyed, as `pulumi destroy` would.
import type { Emulator } from "../emulator";
import type { ConnectionOutputs, PrivateLinkAttachmentConnectionProvider } from "../provider/connection/provider";
import { safeJson, sameEndpointId, type Observations, type Observed, type Step } from "./observations";
import type { Outside } from "./outside";
import type { ResourcePlan } from "./plan";
import { engineProps, withGenerousTimeouts } from "./state";

export interface ConnectionRun {
  provider: PrivateLinkAttachmentConnectionProvider;
  emulator: Emulator;
  outside: Outside;
  seen: Observations;
}

export const observedConnection = (r: ResourcePlan): Observed => ({ label: `r${r.n}`, subject: r.endpointId });

export async function connectionLifecycle({ provider, emulator, outside, seen }: ConnectionRun, r: ResourcePlan, attachmentId: string): Promise<void> {
  const control = emulator.control;
  const me = observedConnection(r);
  const checked = await provider.check({}, engineProps({ ...r.args, privateLinkAttachment: { id: attachmentId } }));
  if (checked.failures?.length || !checked.inputs) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs;
  const state = (props: object | undefined): Record<string, unknown> => engineProps({ ...(props ?? inputs) });
  const expectReady = (step: Step, id: string, outs: ConnectionOutputs | undefined): void => {
    const view = control.connection(id);
    if (!view) return seen.contradicts(me, step, `${id} reported READY but is not on the server`);
    if (view.phase !== "READY" || outs?.phase !== "READY") seen.contradicts(me, step, `${id} reported ${String(outs?.phase)}, server ${view.phase}`);
    if (!sameEndpointId(view.endpointId, r.endpointId) || view.privateLinkAttachmentId !== attachmentId) seen.contradicts(me, step, `${id} is not the resource's endpoint and attachment`);
    if (view.displayName !== outs?.displayName) seen.contradicts(me, step, `${id} reported name ${String(outs?.displayName)}, server ${String(view.displayName)}`);
  };

  // delete; after a failure, the next `pulumi destroy` (with more time) tries again.
  let id: string;
  let outs: ConnectionOutputs | undefined;
  const deleted = async (step: Step, props: object): Promise<boolean> => {
    try {
      await provider.delete(id, state(props));
      const view = control.connection(id);
      if (view) seen.orphans.push(`${me.label} ${step}: ${id} still on the server (${view.phase}) after delete returned`);
      return true;
    } catch (e) {
      seen.fail(me, step, e, id);
      return false;
    }
  };
  const destroy = async (): Promise<void> => void (control.connection(id) && (await deleted("destroy", withGenerousTimeouts(outs ?? inputs))));

  // create; after an init error, the next `pulumi up` (update) resumes once the operator has fixed the cause.
  try {
    const created = await provider.create(inputs);
    id = created.id;
    outs = created.outs;
    seen.report(me, id);
    expectReady("create", id, outs);
  } catch (e) {
    const carried = (e as { id?: unknown }).id;
    seen.fail(me, "create", e, typeof carried === "string" ? carried : undefined);
    if (typeof carried !== "string") return;
    id = carried;
    seen.report(me, id);
    if (!control.connection(id)) {
      // Deleted outside the program, as the error says: the refresh drops it from the stack.
      try {
        const read = await provider.read(id, state(undefined));
        if (read.id) seen.contradicts(me, "refresh", `${id} read as existing after it was deleted`);
      } catch (again) {
        seen.fail(me, "refresh", again, id);
      }
      return;
    }
    outside.fix(id);
    try {
      outs = (await provider.update(id, state((e as { properties?: object }).properties), withGenerousTimeouts(inputs))).outs;
      expectReady("resume", id, outs);
    } catch (again) {
      seen.fail(me, "resume", again, id);
      return destroy();
    }
  }

  outside.afterReady(r, id);
  const read = async (step: Step): Promise<boolean> => {
    try {
      const result = await provider.read(id, state(outs));
      seen.texts.push(safeJson(result));
      const view = control.connection(id);
      if (!result.id) {
        if (view) seen.contradicts(me, step, `${id} read as deleted but the server has it (${view.phase})`);
        return false;
      }
      const props = result.props;
      if (!view || props?.phase !== view.phase || props.displayName !== view.displayName) {
        seen.contradicts(me, step, `${id} read as ${String(props?.phase)}/${String(props?.displayName)}, server ${view?.phase}/${view?.displayName}`);
      }
      outs = props;
      return true;
    } catch (e) {
      seen.fail(me, step, e, id);
      return false;
    }
  };

  if (!(await read("read"))) return destroy();
  const target = `${String(r.args.displayName)}-renamed`;
  try {
    outs = (await provider.update(id, state(outs), { ...inputs, displayName: target })).outs;
    const view = control.connection(id);
    if (view?.displayName !== target || outs?.displayName !== target) seen.contradicts(me, "update", `${id} renamed to ${String(outs?.displayName)}, server ${view?.displayName}`);
  } catch (e) {
    seen.fail(me, "update", e, id);
    return destroy();
  }
  if (!(await read("read again"))) return destroy();
  if (!(await deleted("delete", outs ?? inputs))) await deleted("destroy again", withGenerousTimeouts(outs ?? inputs));
}
