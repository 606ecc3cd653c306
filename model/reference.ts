// The reference model of a stack of connections and attachments over time: what the program declares, what the
// stack's state records, and what the API holds. Each CLI command is predicted here from those three alone, the way
// the provider's contract (README) describes it; model/system.ts runs the same command for real and compares. The
// attachments' part is model/attachments.ts.
import { ATTACHMENT_NAMES, AttachmentReference, ENVIRONMENTS } from "./attachments";
import { sameTimeouts, type ExpectedFailure, type Timeouts } from "./shared";

/** Where a connection can live: two environments, two AWS attachments each (the emulator is seeded with them). */
export const LOCATIONS = [
  { environment: "env-emu000", attachment: "platt-emuaws" },
  { environment: "env-emu000", attachment: "platt-emuaws2" },
  { environment: "env-emu001", attachment: "platt-emuaws3" },
  { environment: "env-emu001", attachment: "platt-emuaws4" },
] as const;

export const DISPLAY_NAMES = ["orders", "payments", "audit", "orders-v2"] as const;
export const TIMEOUTS = [undefined, { create: "10m" }, { create: "10m", delete: "30m" }, { delete: "4h" }] as const;
export const ADOPT = [undefined, false, true] as const;


/** One connection as the program declares it (an entry of the stack config `connections`). */
export interface Spec {
  displayName: string;
  vpcEndpointId: string;
  environment: string;
  attachment: string;
  timeouts?: Timeouts;
  adoptExisting?: boolean;
}

/** One connection as the API holds it. */
export interface Live {
  id: string;
  displayName?: string;
  vpcEndpointId: string;
  environment: string;
  attachment: string;
  phase: string;
}

/** What the stack's state records of one resource; `id` is learned from the state after the up that made it. */
export interface Recorded extends Omit<Live, "id"> {
  id?: string;
  timeouts?: Timeouts;
  adoptExisting?: boolean;
}


const DELETED_OUTSIDE = /was deleted outside Pulumi/;
const FAILED_CREATE = /FAILED: .*kept in the stack as FAILED|kept in the stack as FAILED/;

function notServing(phase: string): RegExp {
  return phase === "DISCONNECTED" ? /is DISCONNECTED .*Pulumi cannot reconnect it/ : new RegExp(`is ${phase}`);
}

/** Phases an `up` goes on with; any other recorded phase is a change (FAILED a replacement). */
function serving(phase: string): boolean {
  return phase === "READY" || phase === "PROVISIONING";
}


function steeringOf(spec: Spec): Pick<Recorded, "timeouts" | "adoptExisting"> {
  return { timeouts: spec.timeouts, adoptExisting: spec.adoptExisting };
}

export class Reference {
  readonly program = new Map<string, Spec>();
  readonly state = new Map<string, Recorded>();
  /** Keyed by id; a connection an `up` is predicted to create is keyed `pending:<name>` until its id is learned. */
  readonly server = new Map<string, Live>();
  /** The next create is made to end FAILED (an emulator fault): which one, when an up makes several, is observed. */
  failNextCreate = false;
  /** The program's own attachments (the connections above are on seeded ones). */
  readonly attachments = new AttachmentReference();
  private endpoints = 0;
  private names = 0;

  /** `initial` connections on seeded attachments, and `initialAttachments` declared AWS attachments with one connection on each. */
  constructor(initial: number, initialAttachments = 0) {
    for (let i = 0; i < initial; i++) this.addConnection(i % DISPLAY_NAMES.length, i % LOCATIONS.length);
    for (let i = 0; i < initialAttachments; i++) {
      this.attachments.add(i % ATTACHMENT_NAMES.length, i % 2, i % ENVIRONMENTS.length);
      this.addOnAttachment((initial + i) % DISPLAY_NAMES.length, i);
    }
  }

  // ---- program edits ---------------------------------------------------------------------------------------

  freshEndpoint(): string {
    return `vpce-${(++this.endpoints).toString(16).padStart(17, "0")}`;
  }

  addConnection(nameIndex: number, locationIndex: number): string {
    const name = `c${this.names++}`;
    this.program.set(name, { displayName: DISPLAY_NAMES[nameIndex]!, vpcEndpointId: this.freshEndpoint(), ...LOCATIONS[locationIndex]! });
    return name;
  }

  /** A connection on the k-th declared AWS attachment (by its resource name; the program passes its id). */
  addOnAttachment(nameIndex: number, k: number): string {
    const aws = [...this.attachments.program.entries()].filter(([, a]) => a.cloud === "AWS");
    const [attachment, spec] = aws[k % aws.length]!;
    const name = `c${this.names++}`;
    this.program.set(name, { displayName: DISPLAY_NAMES[nameIndex]!, vpcEndpointId: this.freshEndpoint(), environment: spec.environment, attachment });
    return name;
  }

  /** Whether a declared connection is on this declared attachment. */
  wired(attachment: string): boolean {
    return [...this.program.values()].some((c) => c.attachment === attachment);
  }

  /** Whether a connection on the API is on the attachment with this id. */
  hasConnections(attachmentId: string): boolean {
    return [...this.server.values()].some((c) => c.attachment === attachmentId);
  }

  /** The k-th declared connection (k taken modulo their number). */
  declared(k: number): [string, Spec] {
    const entries = [...this.program.entries()];
    return entries[k % entries.length]!;
  }

  /** The k-th connection on the server (by id order). */
  live(k: number): Live {
    const all = [...this.server.values()].sort((a, b) => a.id.localeCompare(b.id));
    return all[k % all.length]!;
  }

  otherAttachment(spec: Spec): Spec {
    const next = LOCATIONS.find((l) => l.environment === spec.environment && l.attachment !== spec.attachment)!;
    return { ...spec, ...next };
  }

  otherEnvironment(spec: Spec): Spec {
    const next = LOCATIONS.find((l) => l.environment !== spec.environment)!;
    return { ...spec, ...next };
  }

  // ---- commands ----------------------------------------------------------------------------------------------

  /** `pulumi up` (every resource's step runs: --continue-on-error): the failures it must report, and what it creates. */
  up(): { failures: ExpectedFailure[]; creates: string[]; attachmentCreates: string[] } {
    // An attachment's step runs before those of the connections on it, and records its phase as they left it.
    this.settle();
    const attachments = this.attachments.up();
    const failures: ExpectedFailure[] = [...attachments.failures];
    const failedAttachments = new Set(attachments.failures.map((f) => f.name));
    const creates: string[] = [];
    for (const name of new Set([...this.program.keys(), ...this.state.keys()])) {
      const failure = this.upOne(name, creates, failedAttachments);
      if (failure) failures.push(failure);
    }
    this.settle();
    return { failures, creates, attachmentCreates: attachments.creates };
  }

  /** The attachments' phases on the API, as their connections leave them. */
  settle(): void {
    this.attachments.settle(this.server.values());
  }

  /** Whether this connection is on an attachment the program declares (by its resource name). */
  onDeclared(spec: Spec): boolean {
    return this.attachments.program.has(spec.attachment);
  }

  /**
   * The connection's inputs as the engine resolves them: on a declared attachment, that attachment's id (after its
   * step; `pending:<name>` while an up creates it) and environment.
   */
  private resolve(spec: Spec): Spec {
    if (!this.onDeclared(spec)) return spec;
    const recorded = this.attachments.state.get(spec.attachment);
    return { ...spec, attachment: recorded?.id ?? `pending:${spec.attachment}`, environment: this.attachments.program.get(spec.attachment)!.environment };
  }

  private upOne(name: string, creates: string[], failedAttachments: Set<string>): ExpectedFailure | undefined {
    const declaredSpec = this.program.get(name);
    const recorded = this.state.get(name);
    if (!declaredSpec) {
      if (recorded) this.forget(name, recorded);
      return undefined;
    }
    // The engine skips the steps of a resource whose attachment's step failed.
    if (failedAttachments.has(declaredSpec.attachment) && this.onDeclared(declaredSpec)) return undefined;
    const spec = this.resolve(declaredSpec);
    if (!recorded || this.replaces(spec, recorded)) {
      if (!this.attachments.takesConnections(spec.attachment) && this.onDeclared(declaredSpec)) {
        // The API refuses the create (422): a new endpoint is created before the old connection is deleted, so the
        // old one stays; the same endpoint (on another attachment) is deleted first.
        if (recorded && spec.vpcEndpointId === recorded.vpcEndpointId) this.forget(name, recorded);
        return { name, says: new RegExp(`private link attachment '${spec.attachment}' (is|not found)`) };
      }
      if (recorded) this.forget(name, recorded);
      this.create(name, spec);
      creates.push(name);
      return undefined;
    }
    const renames = spec.displayName !== (recorded.displayName ?? "");
    const steers = !sameTimeouts(spec.timeouts, recorded.timeouts) || spec.adoptExisting !== recorded.adoptExisting;
    if (serving(recorded.phase)) {
      if (!renames) {
        if (steers) Object.assign(recorded, steeringOf(spec));
        return undefined;
      }
      return this.rename(name, spec, recorded);
    }
    // Recorded in a phase an up does not go on with (FAILED is replaced above): read again.
    const live = this.server.get(recorded.id!);
    if (!live) return { name, id: recorded.id, says: DELETED_OUTSIDE };
    if (live.phase === "READY" && renames) return this.rename(name, spec, recorded);
    this.record(name, live, spec);
    return live.phase === "READY" ? undefined : { name, id: live.id, says: notServing(live.phase) };
  }

  private replaces(spec: Spec, recorded: Recorded): boolean {
    return spec.vpcEndpointId !== recorded.vpcEndpointId || spec.environment !== recorded.environment
      || spec.attachment !== recorded.attachment || recorded.phase === "FAILED";
  }

  private rename(name: string, spec: Spec, recorded: Recorded): ExpectedFailure | undefined {
    const live = this.server.get(recorded.id!);
    if (!live) return { name, id: recorded.id, says: DELETED_OUTSIDE };
    live.displayName = spec.displayName;
    this.record(name, live, spec);
    return serving(live.phase) ? undefined : { name, id: live.id, says: notServing(live.phase) };
  }

  private record(name: string, live: Live, spec: Spec): void {
    const { id, ...rest } = live;
    this.state.set(name, { id, ...rest, ...steeringOf(spec) });
  }

  private create(name: string, spec: Spec): void {
    const live: Live = { id: `pending:${name}`, displayName: spec.displayName, vpcEndpointId: spec.vpcEndpointId, environment: spec.environment, attachment: spec.attachment, phase: "READY" };
    this.server.set(live.id, live);
    this.state.set(name, { ...live, id: undefined, ...steeringOf(spec) });
  }

  private forget(name: string, recorded: Recorded): void {
    if (recorded.id) this.server.delete(recorded.id);
    this.state.delete(name);
  }

  /** The id an up gave a created attachment, read from the state; the connections made on it take it too. */
  learnAttachment(name: string, id: string): void {
    this.attachments.learn(name, id);
    for (const c of [...this.server.values(), ...this.state.values()]) if (c.attachment === `pending:${name}`) c.attachment = id;
  }

  /** The id an up gave a created connection, read from the state. */
  learn(name: string, id: string): void {
    const pending = this.server.get(`pending:${name}`);
    if (!pending) throw new Error(`the model expected no new connection for ${name}`);
    this.server.delete(pending.id);
    this.server.set(id, { ...pending, id });
    this.state.get(name)!.id = id;
  }

  /** The create the armed fault failed: it is kept in the stack as FAILED, and the up reports it. */
  createFailed(name: string): ExpectedFailure {
    const recorded = this.state.get(name)!;
    recorded.phase = "FAILED";
    this.server.get(recorded.id!)!.phase = "FAILED";
    this.failNextCreate = false;
    return { name, id: recorded.id, says: FAILED_CREATE };
  }

  /** `pulumi refresh --yes`: state takes what the API holds; a connection that is gone leaves the stack. */
  refresh(): void {
    this.settle();
    this.attachments.refresh();
    for (const [name, recorded] of this.state) {
      const live = this.server.get(recorded.id!);
      if (!live) this.state.delete(name);
      else Object.assign(recorded, { displayName: live.displayName, phase: live.phase });
    }
  }

  /** Whether `pulumi refresh --preview-only --expect-no-changes` must fail: anything drifted, or a phase up will not keep. */
  drifted(): boolean {
    this.settle();
    return this.attachments.drifted() || [...this.state.values()].some((recorded) => {
      const live = this.server.get(recorded.id!);
      return !live || (live.displayName ?? "") !== (recorded.displayName ?? "") || live.phase !== recorded.phase || !serving(live.phase);
    });
  }

  /** Whether `pulumi preview --expect-no-changes` must fail: the program differs from the state, or state records a phase up acts on. */
  changesPlanned(): boolean {
    if (this.attachments.changesPlanned()) return true;
    if (this.program.size !== this.state.size) return true;
    for (const [name, declaredSpec] of this.program) {
      const spec = this.resolve(declaredSpec);
      const recorded = this.state.get(name);
      if (!recorded || this.replaces(spec, recorded) || !serving(recorded.phase)) return true;
      if (spec.displayName !== (recorded.displayName ?? "")) return true;
      if (!sameTimeouts(spec.timeouts, recorded.timeouts) || spec.adoptExisting !== recorded.adoptExisting) return true;
    }
    return false;
  }

  /** `pulumi destroy`: every connection the stack records is deleted (one already gone counts as deleted). */
  destroy(): void {
    for (const [name, recorded] of this.state) this.forget(name, recorded);
    this.attachments.destroy();
    this.settle();
  }

  // ---- out-of-band changes ---------------------------------------------------------------------------------------

  setLivePhase(id: string, phase: string): void {
    this.server.get(id)!.phase = phase;
  }
}
