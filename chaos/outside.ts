// Plays the operator and the world outside the program: holds, fails, deletes, renames and expires resources as
// their faults say, on the emulator's create hooks and on the provider's first progress line for them — events,
// not timers, so the effect does not depend on how fast the machine is.
import type { AttachmentView, ConnectionView, Emulator } from "../emulator";
import { sameEndpointId, type Observations } from "./observations";
import { SLOW_PROVISIONING_MS, type AttachmentPlan, type ResourcePlan, type SchedulePlan } from "./plan";

/** The key under which the emulator's creates for the schedule's attachment are counted. */
const attachmentKey = (displayName: string): string => `attachment "${displayName}"`;

const RETRIED = /^create for (.+) failed in transit and created nothing \(checked\); sending it again$/;
const PROVISIONING = /^(platt-[0-9a-z]+|plattc-[0-9a-z]+): PROVISIONING after /;

export class Outside {
  private readonly connectionOfId = new Map<string, ResourcePlan>();
  private attachmentId: string | undefined;
  private readonly acted = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stopHooks: (() => void)[];
  /** What a create being sent again is for, while a late create of it waits (afterRetry): its progress label. */
  private retried: string | undefined;

  constructor(private readonly emulator: Emulator, private readonly plan: SchedulePlan, private readonly seen: Observations) {
    this.stopHooks = [
      emulator.control.onCreated((view) => this.connectionCreated(view)),
      emulator.control.onAttachmentCreated((view) => this.attachmentCreated(view)),
    ];
  }

  private get control() {
    return this.emulator.control;
  }

  private connectionCreated(view: ConnectionView): void {
    const earlier = this.seen.created(view.endpointId, view.id);
    const retried = this.retried !== undefined ? / endpoint (\S+)$/.exec(this.retried)?.[1] : undefined;
    if (retried !== undefined && sameEndpointId(retried, view.endpointId)) this.applyLateAfterThisCreate();
    const r = this.plan.resources.find((p) => sameEndpointId(p.endpointId, view.endpointId));
    if (!r || earlier.length > 0) return;
    this.connectionOfId.set(view.id, r);
    if (r.fault === "failedWhileCreating" || r.fault === "neverReady" || r.fault === "deletedWhileCreating" || r.fault === "renamedWhileCreating") {
      this.control.hold(view.id);
    } else if (r.fault === "slowProvisioning") {
      this.holdAWhile(view.id, () => this.control.connection(view.id) && this.control.hold(view.id, false));
    }
  }

  private attachmentCreated(view: AttachmentView): void {
    const a = this.plan.attachment;
    if (!a || view.displayName !== a.displayName) return;
    const earlier = this.seen.created(attachmentKey(a.displayName), view.id);
    if (this.retried?.startsWith(`${attachmentKey(a.displayName)} `)) this.applyLateAfterThisCreate();
    if (earlier.length > 0) return;
    this.attachmentId = view.id;
    if (a.fault === "failedWhileCreating" || a.fault === "neverServing" || a.fault === "deletedWhileCreating" || a.fault === "renamedWhileCreating") {
      this.control.holdAttachment(view.id);
    } else if (a.fault === "slowProvisioning") {
      this.holdAWhile(view.id, () => this.control.attachment(view.id) && this.control.holdAttachment(view.id, false), true);
    }
  }

  private holdAWhile(id: string, release: () => unknown, attachment = false): void {
    if (attachment) this.control.holdAttachment(id);
    else this.control.hold(id);
    this.timers.push(setTimeout(release, SLOW_PROVISIONING_MS));
  }

  /** The create being sent again has been applied: the late one applied now finds its place taken (or makes a second). */
  private applyLateAfterThisCreate(): void {
    this.retried = undefined;
    setImmediate(() => this.control.applyLateRequests());
  }

  /** The provider's progress lines: the first one showing a resource PROVISIONING triggers its fault. */
  progress(line: string): void {
    const retried = RETRIED.exec(line)?.[1];
    if (retried !== undefined && this.control.lateRequests().length > 0) {
      if (this.plan.lateApplication === "beforeRetry") this.control.applyLateRequests();
      else this.retried = retried;
      return;
    }
    const id = PROVISIONING.exec(line)?.[1];
    if (!id || this.acted.has(id)) return;
    if (id === this.attachmentId) {
      this.acted.add(id);
      this.attachmentWhileCreating(id, this.plan.attachment!);
      return;
    }
    const r = this.connectionOfId.get(id);
    if (!r) return;
    this.acted.add(id);
    if (r.fault === "failedWhileCreating") this.control.setPhase(id, "FAILED");
    else if (r.fault === "deletedWhileCreating") this.control.deleteConnection(id);
    else if (r.fault === "renamedWhileCreating") {
      this.control.rename(id, `renamed-outside-${r.n}`);
      this.control.hold(id, false);
    }
  }

  private attachmentWhileCreating(id: string, a: AttachmentPlan): void {
    if (a.fault === "failedWhileCreating") this.control.setAttachmentPhase(id, "FAILED");
    else if (a.fault === "deletedWhileCreating") this.control.deleteAttachment(id);
    else if (a.fault === "renamedWhileCreating") {
      this.control.renameAttachment(id, "renamed-outside-a");
      this.control.holdAttachment(id, false);
    }
  }

  /** What the operator fixes before the next `pulumi up`: a FAILED connection recovers, a held resource is released. */
  fix(id: string): void {
    const connection = this.control.connection(id);
    if (connection?.forcedPhase) this.control.setPhase(id, null);
    if (connection?.held) this.control.hold(id, false);
    if (this.control.attachment(id)?.held) this.control.holdAttachment(id, false);
  }

  /** Drift between a connection's create and its refresh. */
  afterReady(r: ResourcePlan, id: string): void {
    if (!this.control.connection(id)) return;
    if (r.fault === "renamedAfterReady") this.control.rename(id, `renamed-outside-${r.n}`);
    if (r.fault === "disconnectedAfterReady") this.control.setPhase(id, "DISCONNECTED");
  }

  /** Drift between the attachment's create and its refresh (its connections are gone by then). */
  afterServing(a: AttachmentPlan, id: string): void {
    if (!this.control.attachment(id)) return;
    if (a.fault === "renamedAfterServing") this.control.renameAttachment(id, "renamed-outside-a");
    if (a.fault === "expiredAfterServing") this.control.setAttachmentPhase(id, "EXPIRED");
  }

  stop(): void {
    this.stopHooks.forEach((stop) => stop());
    this.timers.forEach((t) => clearTimeout(t));
  }
}
