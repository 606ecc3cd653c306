// One resource's part of a chaos schedule, whatever its kind: the user's commands create → refresh → rename →
// refresh → destroy through its provider, each step checked on the emulator's own view. It stops where a user
// would, after following what an error said to do; a resource an error left on the server is destroyed, as
// `pulumi destroy` would. What differs between kinds comes in a LifecycleKind.
import type * as pulumi from "@pulumi/pulumi";
import { safeJson, type Observations, type Observed, type Step } from "./observations";
import { GENEROUS_TIMEOUT } from "./plan";

type Props = Record<string, unknown>;

/** Engine-shaped: with the `__provider` the engine puts into every resource's inputs and state. */
function engineProps<T extends object>(props: T): T & { __provider: string } {
  return { ...props, __provider: "chaos" };
}

/** What a user raises the timeouts to before the next command, after one passed. */
function withGenerousTimeouts<T extends object>(props: T): T {
  return { ...props, timeouts: { create: GENEROUS_TIMEOUT, update: GENEROUS_TIMEOUT, delete: GENEROUS_TIMEOUT } };
}

/** A provider's hooks, with the checked inputs `I` its create and update take and the outputs `O` they answer. */
interface Hooks<I, O> {
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  create(inputs: I): Promise<{ id: string; outs?: O }>;
  read(id: string, props: Props): Promise<{ id?: string; props?: O }>;
  update(id: string, olds: Props, news: I): Promise<{ outs?: O }>;
  delete(id: string, props: Props): Promise<void>;
}

/** A resource as the emulator sees it. */
interface ServerView {
  phase: string;
  displayName?: string;
}

export interface LifecycleKind<I extends object, O extends { phase?: string; displayName?: string }> {
  me: Observed;
  hooks: Hooks<I, O>;
  seen: Observations;
  args: Props;
  onServer(id: string): ServerView | undefined;
  /** The kind's checks of what a create (or the update resuming it) reported. */
  expectCreated(step: Step, id: string, outs: O | undefined): void;
  /** After an init error that kept `id`, still on the server: the next `pulumi up` resumes (after `fix`) or the user destroys it. */
  afterInitError(id: string): "resume" | "destroy";
  fix(id: string): void;
  /** Between the create and the refresh: what happens outside the program, and what depends on the resource. False: stop here. */
  meanwhile(id: string): Promise<boolean>;
  /** Told when the resource will never be created in this schedule. */
  never(): Promise<void>;
}

export async function lifecycle<I extends object, O extends { phase?: string; displayName?: string }>(kind: LifecycleKind<I, O>): Promise<void> {
  const { me, hooks, seen } = kind;
  const checked = await hooks.check({}, engineProps(kind.args));
  if (checked.failures?.length || !checked.inputs) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  // What check answers is what create and update take: the engine hands it back as it was.
  const inputs = checked.inputs as I;
  const state = (props: object | undefined): Props => engineProps({ ...(props ?? inputs) });

  let id: string;
  let outs: O | undefined;
  const deleted = async (step: Step, props: object): Promise<boolean> => {
    try {
      await hooks.delete(id, state(props));
      const view = kind.onServer(id);
      if (view) seen.orphans.push(`${me.label} ${step}: ${id} still on the server (${view.phase}) after delete returned`);
      return true;
    } catch (e) {
      seen.fail(me, step, e, id);
      return false;
    }
  };
  const destroy = async (props: object | undefined): Promise<void> => void (kind.onServer(id) && (await deleted("destroy", withGenerousTimeouts(props ?? inputs))));

  // create; after an init error: deleted outside → the refresh drops it; else resumed by the next `pulumi up`
  // once the operator has fixed the cause, or destroyed.
  try {
    const created = await hooks.create(inputs);
    id = created.id;
    outs = created.outs;
    seen.report(me, id);
    kind.expectCreated("create", id, outs);
  } catch (e) {
    const carried = (e as { id?: unknown }).id;
    seen.fail(me, "create", e, typeof carried === "string" ? carried : undefined);
    if (typeof carried !== "string") return kind.never();
    id = carried;
    seen.report(me, id);
    const kept = (e as { properties?: object }).properties;
    if (!kind.onServer(id)) {
      try {
        const read = await hooks.read(id, state(undefined));
        if (read.id) seen.contradicts(me, "refresh", `${id} read as existing after it was deleted`);
      } catch (again) {
        seen.fail(me, "refresh", again, id);
      }
      return kind.never();
    }
    if (kind.afterInitError(id) === "destroy") {
      await kind.never();
      return destroy(kept);
    }
    kind.fix(id);
    try {
      outs = (await hooks.update(id, state(kept), withGenerousTimeouts(inputs))).outs;
      kind.expectCreated("resume", id, outs);
    } catch (again) {
      seen.fail(me, "resume", again, id);
      await kind.never();
      return destroy(kept);
    }
  }

  if (!(await kind.meanwhile(id))) return;
  const read = async (step: Step): Promise<boolean> => {
    try {
      const result = await hooks.read(id, state(outs));
      seen.texts.push(safeJson(result));
      const view = kind.onServer(id);
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
  const target = `${String(kind.args.displayName)}-renamed`;
  try {
    outs = (await hooks.update(id, state(outs), { ...inputs, displayName: target })).outs;
    const view = kind.onServer(id);
    if (view?.displayName !== target || outs?.displayName !== target) seen.contradicts(me, "update", `${id} renamed to ${String(outs?.displayName)}, server ${view?.displayName}`);
  } catch (e) {
    seen.fail(me, "update", e, id);
    return destroy(outs);
  }
  if (!(await read("read again"))) return destroy(outs);
  if (!(await deleted("delete", outs ?? inputs))) await deleted("destroy again", withGenerousTimeouts(outs ?? inputs));
}
