// The user's actions as fast-check commands: edits of the program, changes made outside Pulumi, and the CLI
// commands. Each CLI command is predicted by the reference model, run on the system, and compared: what the API
// holds, what the state records, the exit code, and that every failure names its connection and its cause.
import * as fc from "fast-check";
import { attachmentEdits, compareAttachments, upConvergesAttachments } from "./attachment-commands";
import { Edit, expect, show, tail, type Command } from "./expect";
import { ADOPT, DISPLAY_NAMES, LOCATIONS, TIMEOUTS, type Reference } from "./reference";
import { sameTimeouts, type ExpectedFailure } from "./shared";
import type { CommandResult } from "../scripts/pulumi-cli";
import type { Observed, System } from "./system";


/** What the API holds and what the state records equal the model's; nothing orphaned or duplicated. */
function compare(m: Reference, o: Observed, after: string): void {
  m.settle();
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  const server = [...m.server.values()].sort(byId);
  const live = [...o.server].sort(byId);
  expect(show(live) === show(server), `after ${after}: the API holds other connections than the model`, () => `API:   ${show(live)}\nmodel: ${show(server)}`);
  const names = [...o.state.keys()].sort();
  expect(show(names) === show([...m.state.keys()].sort()), `after ${after}: the stack records other resources than the model`, () => `state: ${show(names)}\nmodel: ${show([...m.state.keys()].sort())}`);
  for (const [name, want] of m.state) {
    const got = o.state.get(name)!;
    const same = got.id === want.id && (got.displayName ?? "") === (want.displayName ?? "") && got.phase === want.phase && got.vpcEndpointId === want.vpcEndpointId
      && got.environment === want.environment && got.attachment === want.attachment && sameTimeouts(got.timeouts, want.timeouts) && got.adoptExisting === want.adoptExisting;
    expect(same, `after ${after}: the state's ${name} differs from the model's`, () => `state: ${show(got)}\nmodel: ${show(want)}`);
  }
  const recordedIds = new Set([...o.state.values()].map((r) => r.id));
  for (const c of o.server) expect(recordedIds.has(c.id), `after ${after}: ${c.id} exists on the API but the stack lost track of it`);
  const endpoints = o.server.map((c) => `${c.attachment}/${c.vpcEndpointId}`);
  expect(new Set(endpoints).size === endpoints.length, `after ${after}: two connections for one endpoint`, () => show(o.server));
  compareAttachments(m.attachments, o.attachments, after);
  expect(o.pendingDeletions.length === 0, `after ${after}: the state keeps resources pending deletion`, () => show(o.pendingDeletions));
}

/** Every expected failure is reported with its connection and cause; no other failure. */
function judgeFailures(result: CommandResult, failures: ExpectedFailure[], command: string): void {
  const output = `${result.stdout}\n${result.stderr}`;
  expect((result.code !== 0) === (failures.length > 0), `${command} exited ${result.code}; the model expected ${failures.length ? `failures: ${failures.map((f) => `${f.name} ${f.says}`).join("; ")}` : "success"}`, () => tail(output));
  for (const f of failures) {
    expect(f.id === undefined || output.includes(f.id), `${command}: the failure of ${f.name} does not name ${f.id}`, () => tail(output));
    expect(f.says.test(output), `${command}: the failure of ${f.name} does not say ${f.says}`, () => tail(output));
  }
}


abstract class CliCommand implements Command {
  check(_m: Reference): boolean {
    return true;
  }
  abstract run(m: Reference, r: System): Promise<void>;
  abstract toString(): string;
}

class Up extends CliCommand {
  async run(m: Reference, r: System): Promise<void> {
    await r.declare(m.program, m.attachments.program);
    const { failures, creates, attachmentCreates } = m.up();
    const failing = m.attachments.failingCreate;
    if (failing) r.failAttachmentCreate(m.attachments.program.get(failing)!.displayName);
    // Every step runs even when one fails, so what one up does is the same whatever order the engine takes.
    const result = await r.cli(["up", "--yes", "--continue-on-error", "--skip-preview"]);
    const o = await r.observe();
    for (const name of attachmentCreates) {
      const id = o.attachments.state.get(name)?.id;
      expect(id !== undefined, `up: attachment ${name} was to be created but the stack does not record it`, () => tail(result.stdout + result.stderr));
      m.learnAttachment(name, id!);
    }
    for (const name of creates) {
      const id = o.state.get(name)?.id;
      expect(id !== undefined, `up: ${name} was to be created but the stack does not record it`, () => tail(result.stdout + result.stderr));
      m.learn(name, id!);
    }
    const failedId = m.failNextCreate && creates.length > 0 ? r.failedCreate() : undefined;
    if (failedId) failures.push(m.createFailed(creates.find((n) => m.state.get(n)!.id === failedId)!));
    m.settle();
    judgeFailures(result, failures, "up");
    compare(m, o, "up");
    if (result.code === 0) {
      // Names converge: what the stack records is the program's (a change made outside Pulumi since the last refresh
      // is not known to the state: `compare` holds the API to the model for those).
      for (const [name, spec] of m.program) {
        const recorded = o.state.get(name)!;
        expect(recorded.phase === "READY" && recorded.displayName === spec.displayName, `up succeeded but the state records ${name} ${recorded.phase} named ${recorded.displayName}, not READY named ${spec.displayName}`);
        expect(sameTimeouts(recorded.timeouts, spec.timeouts) && recorded.adoptExisting === spec.adoptExisting, `up succeeded but the state's steering of ${name} is not the program's`);
      }
      upConvergesAttachments(m.attachments, o.attachments);
    }
  }
  toString(): string {
    return "up";
  }
}

class Refresh extends CliCommand {
  async run(m: Reference, r: System): Promise<void> {
    await r.declare(m.program, m.attachments.program);
    m.refresh();
    const result = await r.cli(["refresh", "--yes", "--skip-preview"]);
    judgeFailures(result, [], "refresh");
    compare(m, await r.observe(), "refresh");
  }
  toString(): string {
    return "refresh";
  }
}

/**
 * A command that must change nothing and answers, by its exit code, whether there is something to do: `preview
 * --expect-no-changes` (no request at all; changes planned?) and the drift check a scheduled job runs, `refresh
 * --preview-only --expect-no-changes` (reads only; drift?). PULUMI_SKIP_CONFIRMATIONS (the harness's implicit --yes)
 * would refuse --preview-only.
 */
class ExpectNoChanges extends CliCommand {
  constructor(
    private readonly label: string,
    private readonly args: string[],
    private readonly sends: (method: string) => boolean,
    private readonly expected: (m: Reference) => boolean,
  ) {
    super();
  }
  async run(m: Reference, r: System): Promise<void> {
    await r.declare(m.program, m.attachments.program);
    const before = r.requests().length;
    const result = await r.cli(this.args, { PULUMI_SKIP_CONFIRMATIONS: "false" });
    expect(r.requests().slice(before).every((q) => this.sends(q.method)), `${this.label} sent a request it must not`);
    const something = this.expected(m);
    expect((result.code !== 0) === something, `${this.label} exited ${result.code}; the model expects ${something ? "" : "no "}changes`, () => tail(result.stdout + result.stderr));
    compare(m, await r.observe(), this.label);
  }
  toString(): string {
    return this.label;
  }
}

const preview = () => new ExpectNoChanges("preview", ["preview", "--expect-no-changes"], () => false, (m) => m.changesPlanned());
const driftCheck = () => new ExpectNoChanges("driftCheck", ["refresh", "--preview-only", "--expect-no-changes"], (method) => method === "GET", (m) => m.drifted());

class Destroy extends CliCommand {
  override check(m: Reference): boolean {
    return m.state.size > 0 || m.attachments.state.size > 0;
  }
  async run(m: Reference, r: System): Promise<void> {
    m.destroy();
    const result = await r.cli(["destroy", "--yes", "--skip-preview"]);
    judgeFailures(result, [], "destroy");
    compare(m, await r.observe(), "destroy");
  }
  toString(): string {
    return "destroy";
  }
}


const declared = (m: Reference) => m.program.size > 0;
const anyLive = (m: Reference) => m.server.size > 0;
const index = fc.nat({ max: 7 });

function editSpec(label: string, k: number, change: (m: Reference, name: string) => void): Edit {
  return new Edit(label, declared, (m) => change(m, m.declared(k)[0]));
}

function outOfBand(label: string, k: number, act: (m: Reference, r: System, id: string) => void): Edit {
  return new Edit(label, anyLive, (m, r) => act(m, r, m.live(k).id));
}

/** Every sequence starts from the program deployed. */
export function firstUp(): Command {
  return new Up();
}

/**
 * The commands a run draws from: the CLI commands about half the time, as the edits of both kinds the other half;
 * `up` weighs most, so that edits and changes outside Pulumi meet the engine often.
 */
export function commandArbitrary(): fc.Arbitrary<Command> {
  const weighted = [
    { arbitrary: fc.constant<Command>(new Up()), weight: 10 },
    { arbitrary: fc.constant<Command>(preview()), weight: 4 },
    { arbitrary: fc.constant<Command>(new Refresh()), weight: 4 },
    { arbitrary: fc.constant<Command>(driftCheck()), weight: 4 },
    { arbitrary: fc.constant<Command>(new Destroy()), weight: 2 },
  ];
  return fc.oneof(...weighted, ...[...edits(), ...attachmentEdits()].map((arbitrary) => ({ arbitrary, weight: 1 })));
}

function edits(): fc.Arbitrary<Command>[] {
  return [
    fc.tuple(fc.nat({ max: DISPLAY_NAMES.length - 1 }), fc.nat({ max: LOCATIONS.length - 1 })).map(([n, l]) =>
      new Edit(`add(${DISPLAY_NAMES[n]}, ${LOCATIONS[l]!.attachment})`, (m) => m.program.size < 5, (m) => void m.addConnection(n, l))),
    index.map((k) => new Edit(`remove(#${k})`, declared, (m) => void m.program.delete(m.declared(k)[0]))),
    fc.tuple(index, fc.nat({ max: DISPLAY_NAMES.length - 1 })).map(([k, n]) =>
      editSpec(`editDisplayName(#${k}, ${DISPLAY_NAMES[n]})`, k, (m, name) => void (m.program.get(name)!.displayName = DISPLAY_NAMES[n]!))),
    fc.tuple(index, fc.nat({ max: TIMEOUTS.length - 1 })).map(([k, t]) =>
      editSpec(`editTimeouts(#${k}, ${JSON.stringify(TIMEOUTS[t]) ?? "none"})`, k, (m, name) => void (m.program.get(name)!.timeouts = TIMEOUTS[t] && { ...TIMEOUTS[t] }))),
    fc.tuple(index, fc.nat({ max: ADOPT.length - 1 })).map(([k, a]) =>
      editSpec(`editAdoptExisting(#${k}, ${ADOPT[a]})`, k, (m, name) => void (m.program.get(name)!.adoptExisting = ADOPT[a]))),
    index.map((k) => editSpec(`editEndpoint(#${k})`, k, (m, name) => void (m.program.get(name)!.vpcEndpointId = m.freshEndpoint()))),
    index.map((k) => editSpec(`editAttachment(#${k})`, k, (m, name) => void m.program.set(name, m.otherAttachment(m.program.get(name)!)))),
    index.map((k) => editSpec(`editEnvironment(#${k})`, k, (m, name) => void m.program.set(name, m.otherEnvironment(m.program.get(name)!)))),
    index.map((k) => outOfBand(`renameOutside(#${k})`, k, (m, r, id) => {
      r.emulator.control.rename(id, "renamed-outside");
      m.server.get(id)!.displayName = "renamed-outside";
    })),
    index.map((k) => outOfBand(`deleteOutside(#${k})`, k, (m, r, id) => {
      r.emulator.control.deleteConnection(id);
      m.server.delete(id);
    })),
    index.map((k) => outOfBand(`failOutside(#${k})`, k, (m, r, id) => {
      r.emulator.control.setPhase(id, "FAILED");
      m.setLivePhase(id, "FAILED");
    })),
    index.map((k) => outOfBand(`disconnectOutside(#${k})`, k, (m, r, id) => {
      r.emulator.control.setPhase(id, "DISCONNECTED");
      m.setLivePhase(id, "DISCONNECTED");
    })),
    fc.constant(new Edit("failNextCreate", (m) => !m.failNextCreate, (m, r) => {
      r.failNextCreate();
      m.failNextCreate = true;
    })),
  ];
}
