// The schedule's attachment: the user's commands create → (its connections' lifecycles) → refresh → rename → refresh
// → destroy, through the provider, each step checked on the emulator's own view. Its connections start once it
// serves them and are destroyed before it, as the engine orders a program that wires them to it; when its create
// fails for good they never start, as the engine skips what depends on a failed resource.
import type { Emulator } from "../emulator";
import type { CheckedAttachmentInputs } from "../provider/attachment/inputs";
import type { AttachmentOutputs, PrivateLinkAttachmentProvider } from "../provider/attachment/provider";
import { safeJson, type Observations, type Observed, type Step } from "./observations";
import type { Outside } from "./outside";
import type { AttachmentPlan } from "./plan";
import { engineProps, withGenerousTimeouts } from "./state";

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
export async function attachmentLifecycle({ provider, emulator, outside, seen }: AttachmentRun, a: AttachmentPlan, connections: (id: string | undefined) => Promise<void>): Promise<void> {
  const control = emulator.control;
  const me = observedAttachment(a);
  const checked = await provider.check({}, engineProps(a.args));
  if (checked.failures?.length || !checked.inputs) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs as CheckedAttachmentInputs;
  const state = (props: object | undefined): Record<string, unknown> => engineProps({ ...(props ?? inputs) });
  const expectServing = (step: Step, id: string, outs: AttachmentOutputs | undefined): void => {
    const view = control.attachment(id);
    if (!view) return seen.contradicts(me, step, `${id} reported ${String(outs?.phase)} but is not on the server`);
    if (!SERVING.includes(view.phase) || outs?.phase !== view.phase) seen.contradicts(me, step, `${id} reported ${String(outs?.phase)}, server ${view.phase}`);
    if (view.cloud !== a.args.cloud || view.region !== a.args.region || view.environmentId !== inputs.environment.id) seen.contradicts(me, step, `${id} is not in the resource's cloud, region and environment`);
    if (view.displayName !== outs?.displayName) seen.contradicts(me, step, `${id} reported name ${String(outs?.displayName)}, server ${String(view.displayName)}`);
  };

  let id: string;
  let outs: AttachmentOutputs | undefined;
  const deleted = async (step: Step, props: object): Promise<boolean> => {
    try {
      await provider.delete(id, state(props));
      const view = control.attachment(id);
      if (view) seen.orphans.push(`${me.label} ${step}: ${id} still on the server (${view.phase}) after delete returned`);
      return true;
    } catch (e) {
      seen.fail(me, step, e, id);
      return false;
    }
  };
  const destroy = async (props: object | undefined): Promise<void> => void (control.attachment(id) && (await deleted("destroy", withGenerousTimeouts(props ?? inputs))));

  // create; after an init error: deleted outside → the refresh drops it; FAILED → the user destroys it; still
  // PROVISIONING → the next `pulumi up` resumes once the operator has released it.
  try {
    const created = await provider.create(inputs);
    id = created.id;
    outs = created.outs;
    seen.report(me, id);
    expectServing("create", id, outs);
  } catch (e) {
    const carried = (e as { id?: unknown }).id;
    seen.fail(me, "create", e, typeof carried === "string" ? carried : undefined);
    if (typeof carried !== "string") return connections(undefined);
    id = carried;
    seen.report(me, id);
    const kept = (e as { properties?: object }).properties;
    const view = control.attachment(id);
    if (!view) {
      try {
        const read = await provider.read(id, state(undefined));
        if (read.id) seen.contradicts(me, "refresh", `${id} read as existing after it was deleted`);
      } catch (again) {
        seen.fail(me, "refresh", again, id);
      }
      return connections(undefined);
    }
    if (view.phase !== "PROVISIONING") {
      await connections(undefined);
      return destroy(kept);
    }
    outside.fix(id);
    try {
      outs = (await provider.update(id, state(kept), withGenerousTimeouts(inputs))).outs;
      expectServing("resume", id, outs);
    } catch (again) {
      seen.fail(me, "resume", again, id);
      await connections(undefined);
      return destroy(kept);
    }
  }

  await connections(id);
  // The engine deletes the attachment only once every connection on it is: one a failed destroy left stops it.
  if ((control.attachment(id)?.connectionIds.length ?? 0) > 0) return;
  outside.afterServing(a, id);

  const read = async (step: Step): Promise<boolean> => {
    try {
      const result = await provider.read(id, state(outs));
      seen.texts.push(safeJson(result));
      const view = control.attachment(id);
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

  if (!(await read("read"))) return destroy(outs);
  const target = `${a.displayName}-renamed`;
  try {
    outs = (await provider.update(id, state(outs), { ...inputs, displayName: target })).outs;
    const view = control.attachment(id);
    if (view?.displayName !== target || outs?.displayName !== target) seen.contradicts(me, "update", `${id} renamed to ${String(outs?.displayName)}, server ${view?.displayName}`);
  } catch (e) {
    seen.fail(me, "update", e, id);
    return destroy(outs);
  }
  if (!(await read("read again"))) return destroy(outs);
  if (!(await deleted("delete", outs ?? inputs))) await deleted("destroy again", withGenerousTimeouts(outs ?? inputs));
}
