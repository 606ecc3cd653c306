// The reference model of the stack's private link attachments: what the program declares, what the state records and
// what the API holds, and what each CLI command does with them, the way README's section on `PrivateLinkAttachment`
// describes it. A create waits until the attachment serves connections; FAILED and EXPIRED are replaced by the next
// up; displayName changes in place; cloud, region and environment replace it; timeouts and adoptExisting change only
// what state records.
import { sameTimeouts, type ExpectedFailure, type Timeouts } from "./shared";

/** Where a declared attachment can be: moving to the next one changes its region, or its cloud. */
export const PLACES = [
  { cloud: "AWS", region: "us-east-1" },
  { cloud: "AWS", region: "us-west-2" },
  { cloud: "GCP", region: "us-central1" },
  { cloud: "AZURE", region: "eastus2" },
] as const;
export const ENVIRONMENTS = ["env-emu000", "env-emu001"] as const;
/** Display names end in the resource name, so two declared attachments never fit each other (adoptExisting). */
export const ATTACHMENT_NAMES = ["orders-pla", "shared-pla", "edge-pla"] as const;

/** One attachment as the program declares it (an entry of the stack config `attachments`). */
export interface AttachmentSpec {
  displayName: string;
  cloud: string;
  region: string;
  environment: string;
  timeouts?: Timeouts;
  adoptExisting?: boolean;
}

/** One attachment as the API holds it. */
export interface LiveAttachment {
  id: string;
  displayName?: string;
  cloud: string;
  region: string;
  environment: string;
  phase: string;
}

/** What the stack's state records of one attachment; `id` is learned from the state after the up that made it. */
export interface RecordedAttachment extends Omit<LiveAttachment, "id"> {
  id?: string;
  timeouts?: Timeouts;
  adoptExisting?: boolean;
}

const DELETED_OUTSIDE = /was deleted outside Pulumi/;
const EXPIRED_RENAME = /has EXPIRED and can only be deleted/;

/** Phases it serves connections in, or is on its way to: an up goes on with them. */
export function attachmentServing(phase: string): boolean {
  return phase === "WAITING_FOR_CONNECTIONS" || phase === "READY" || phase === "PROVISIONING";
}

/** Phases it never leaves: the next up replaces it. */
function terminal(phase: string): boolean {
  return phase === "FAILED" || phase === "EXPIRED";
}

function sameSteering(a: { timeouts?: Timeouts; adoptExisting?: boolean }, b: { timeouts?: Timeouts; adoptExisting?: boolean }): boolean {
  return sameTimeouts(a.timeouts, b.timeouts) && a.adoptExisting === b.adoptExisting;
}

export class AttachmentReference {
  readonly program = new Map<string, AttachmentSpec>();
  readonly state = new Map<string, RecordedAttachment>();
  /** Keyed by id; one an up is predicted to create is keyed `pending:<name>` until its id is learned. */
  readonly server = new Map<string, LiveAttachment>();
  private readonly forced = new Set<string>();
  private names = 0;
  /** The next new attachment an up creates ends FAILED (an emulator fault); the model picks which, the system is told. */
  failNextCreate = false;
  /** The attachment the armed fault fails in the up being predicted. */
  failingCreate: string | undefined;

  // ---- program edits ---------------------------------------------------------------------------------------

  add(nameIndex: number, placeIndex: number, environmentIndex: number): string {
    const name = `a${this.names++}`;
    this.program.set(name, { displayName: `${ATTACHMENT_NAMES[nameIndex]}-${name}`, ...PLACES[placeIndex]!, environment: ENVIRONMENTS[environmentIndex]! });
    return name;
  }

  /** The k-th declared attachment (k taken modulo their number). */
  declared(k: number): [string, AttachmentSpec] {
    const entries = [...this.program.entries()];
    return entries[k % entries.length]!;
  }

  /** The k-th attachment of the stack's on the API (by id order). */
  live(k: number): LiveAttachment {
    const all = [...this.server.values()].sort((a, b) => a.id.localeCompare(b.id));
    return all[k % all.length]!;
  }

  rename(name: string, nameIndex: number): void {
    this.program.get(name)!.displayName = `${ATTACHMENT_NAMES[nameIndex]}-${name}`;
  }

  /** The next place: another region of the same cloud, or another cloud; only AWS ones when `aws` (AWS connections are on it). */
  move(name: string, aws: boolean): void {
    const spec = this.program.get(name)!;
    const at = PLACES.findIndex((p) => p.cloud === spec.cloud && p.region === spec.region);
    const next = [...PLACES.slice(at + 1), ...PLACES.slice(0, at + 1)].find((p) => !aws || p.cloud === "AWS")!;
    Object.assign(spec, next);
  }

  otherEnvironment(name: string): void {
    const spec = this.program.get(name)!;
    spec.environment = ENVIRONMENTS.find((e) => e !== spec.environment)!;
  }

  // ---- commands ----------------------------------------------------------------------------------------------

  /** What `pulumi up --continue-on-error` does with every attachment: the failures it must report, and the creates. */
  up(): { failures: ExpectedFailure[]; creates: string[] } {
    const failures: ExpectedFailure[] = [];
    const creates: string[] = [];
    this.failingCreate = undefined;
    for (const name of new Set([...this.program.keys(), ...this.state.keys()])) {
      const failure = this.upOne(name, creates);
      if (failure) failures.push(failure);
    }
    return { failures, creates };
  }

  /** A new attachment (no replacement) whose create the armed fault fails: kept in the stack as FAILED. */
  private createFails(name: string): ExpectedFailure {
    const live = this.server.get(`pending:${name}`)!;
    live.phase = "FAILED";
    this.state.get(name)!.phase = "FAILED";
    this.forced.add(live.id);
    this.failNextCreate = false;
    this.failingCreate = name;
    return { name, says: /kept in the stack as FAILED/ };
  }

  /**
   * Its phase on the API, but for one set outside Pulumi: READY while one of its connections is READY, else
   * WAITING_FOR_CONNECTIONS (the emulator's rule, as Confluent's).
   */
  settle(connections: Iterable<{ attachment: string; phase: string }>): void {
    const ready = new Set<string>();
    for (const c of connections) if (c.phase === "READY") ready.add(c.attachment);
    for (const live of this.server.values()) {
      if (!this.forced.has(live.id)) live.phase = ready.has(live.id) ? "READY" : "WAITING_FOR_CONNECTIONS";
    }
  }

  /** A phase set outside Pulumi: it stays whatever its connections do. */
  force(id: string, phase: string): void {
    this.server.get(id)!.phase = phase;
    this.forced.add(id);
  }

  /** Whether the attachment with this id takes a new connection now. */
  takesConnections(id: string): boolean {
    const live = this.server.get(id);
    return live !== undefined && attachmentServing(live.phase);
  }

  private upOne(name: string, creates: string[]): ExpectedFailure | undefined {
    const spec = this.program.get(name);
    const recorded = this.state.get(name);
    if (!spec) {
      if (recorded) this.forget(name, recorded);
      return undefined;
    }
    if (!recorded || this.replaces(spec, recorded)) {
      // Create before delete: the new one is made and waited for, then the old one deleted (gone already is deleted).
      if (recorded) this.forget(name, recorded);
      this.create(name, spec);
      creates.push(name);
      return !recorded && this.failNextCreate ? this.createFails(name) : undefined;
    }
    if (spec.displayName === (recorded.displayName ?? "")) {
      // Steering only (or nothing): state takes the program's, with no request.
      Object.assign(recorded, { timeouts: spec.timeouts, adoptExisting: spec.adoptExisting });
      return undefined;
    }
    // A rename of an attachment recorded serving: the PATCH goes out without a read first.
    const live = this.server.get(recorded.id!);
    if (!live) return { name, id: recorded.id, says: DELETED_OUTSIDE };
    if (live.phase === "EXPIRED") {
      Object.assign(recorded, { timeouts: spec.timeouts, adoptExisting: spec.adoptExisting });
      return { name, id: live.id, says: EXPIRED_RENAME };
    }
    live.displayName = spec.displayName;
    this.record(name, live, spec);
    return attachmentServing(live.phase) ? undefined : { name, id: live.id, says: new RegExp(`update private link attachment: ${live.id} is ${live.phase}`) };
  }

  replaces(spec: AttachmentSpec, recorded: RecordedAttachment): boolean {
    return spec.cloud !== recorded.cloud || spec.region !== recorded.region || spec.environment !== recorded.environment || terminal(recorded.phase);
  }

  private record(name: string, live: LiveAttachment, spec: AttachmentSpec): void {
    const { id, ...rest } = live;
    this.state.set(name, { id, ...rest, timeouts: spec.timeouts, adoptExisting: spec.adoptExisting });
  }

  private create(name: string, spec: AttachmentSpec): void {
    const live: LiveAttachment = { id: `pending:${name}`, displayName: spec.displayName, cloud: spec.cloud, region: spec.region, environment: spec.environment, phase: "WAITING_FOR_CONNECTIONS" };
    this.server.set(live.id, live);
    this.state.set(name, { ...live, id: undefined, timeouts: spec.timeouts, adoptExisting: spec.adoptExisting });
  }

  private forget(name: string, recorded: RecordedAttachment): void {
    if (recorded.id) this.server.delete(recorded.id);
    this.state.delete(name);
  }

  /** The id an up gave a created attachment, read from the state. */
  learn(name: string, id: string): void {
    const pending = this.server.get(`pending:${name}`);
    if (!pending) throw new Error(`the model expected no new attachment for ${name}`);
    this.server.delete(pending.id);
    this.server.set(id, { ...pending, id });
    this.state.get(name)!.id = id;
    if (this.forced.delete(pending.id)) this.forced.add(id);
  }

  /** `pulumi refresh --yes`: state takes what the API holds; one that is gone leaves the stack. */
  refresh(): void {
    for (const [name, recorded] of this.state) {
      const live = this.server.get(recorded.id!);
      if (!live) this.state.delete(name);
      else Object.assign(recorded, { displayName: live.displayName, phase: live.phase });
    }
  }

  /**
   * Whether the drift check must fail for an attachment: renamed, deleted, or in a phase it does not serve from. A
   * move between phases it serves in (WAITING_FOR_CONNECTIONS and READY, as its connections come and go) is no drift.
   */
  drifted(): boolean {
    return [...this.state.values()].some((recorded) => {
      const live = this.server.get(recorded.id!);
      return !live || (live.displayName ?? "") !== (recorded.displayName ?? "") || !attachmentServing(live.phase);
    });
  }

  /** Whether `pulumi preview --expect-no-changes` must fail for an attachment. */
  changesPlanned(): boolean {
    if (this.program.size !== this.state.size) return true;
    for (const [name, spec] of this.program) {
      const recorded = this.state.get(name);
      if (!recorded || this.replaces(spec, recorded) || !attachmentServing(recorded.phase)) return true;
      if (spec.displayName !== (recorded.displayName ?? "") || !sameSteering(spec, recorded)) return true;
    }
    return false;
  }

  /** `pulumi destroy`: every attachment the stack records is deleted (one already gone counts as deleted). */
  destroy(): void {
    for (const [name, recorded] of this.state) this.forget(name, recorded);
  }
}
