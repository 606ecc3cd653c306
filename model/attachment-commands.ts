// The attachments' part of the model's commands: their comparison after each CLI command, what a successful up
// leaves of them, and the edits of the program's attachments and the changes made to them outside Pulumi.
import * as fc from "fast-check";
import type { Emulator } from "../emulator";
import { ATTACHMENT_NAMES, ENVIRONMENTS, PLACES, attachmentServing, type AttachmentReference, type LiveAttachment, type RecordedAttachment } from "./attachments";
import { Edit, expect, show } from "./expect";
import { ADOPT, DISPLAY_NAMES, TIMEOUTS, type Reference } from "./reference";
import { sameTimeouts } from "./shared";
import type { Observed } from "./system";

/** What the API holds of the stack's attachments and what the state records equal the model's; nothing orphaned. */
export function compareAttachments(m: AttachmentReference, o: Observed["attachments"], after: string): void {
  const byId = (a: LiveAttachment, b: LiveAttachment) => a.id.localeCompare(b.id);
  const server = [...m.server.values()].sort(byId);
  const live = [...o.server].sort(byId);
  expect(show(live) === show(server), `after ${after}: the API holds other attachments than the model`, () => `API:   ${show(live)}\nmodel: ${show(server)}`);
  const names = [...o.state.keys()].sort();
  const want = [...m.state.keys()].sort();
  expect(show(names) === show(want), `after ${after}: the stack records other attachments than the model`, () => `state: ${show(names)}\nmodel: ${show(want)}`);
  for (const [name, expected] of m.state) {
    const got = o.state.get(name)!;
    expect(sameRecord(got, expected), `after ${after}: the state's attachment ${name} differs from the model's`, () => `state: ${show(got)}\nmodel: ${show(expected)}`);
  }
  const recordedIds = new Set([...o.state.values()].map((r) => r.id));
  for (const a of o.server) expect(recordedIds.has(a.id), `after ${after}: attachment ${a.id} exists on the API but the stack lost track of it`);
}

function sameRecord(got: RecordedAttachment, want: RecordedAttachment): boolean {
  return got.id === want.id && (got.displayName ?? "") === (want.displayName ?? "") && got.phase === want.phase && got.cloud === want.cloud
    && got.region === want.region && got.environment === want.environment && sameTimeouts(got.timeouts, want.timeouts) && got.adoptExisting === want.adoptExisting;
}

/** After an up that succeeded, the state records every declared attachment as the program has it, serving. */
export function upConvergesAttachments(m: AttachmentReference, o: Observed["attachments"]): void {
  for (const [name, spec] of m.program) {
    const recorded = o.state.get(name)!;
    expect(attachmentServing(recorded.phase) && recorded.displayName === spec.displayName, `up succeeded but the state records attachment ${name} ${recorded.phase} named ${recorded.displayName}`);
    expect(sameTimeouts(recorded.timeouts, spec.timeouts) && recorded.adoptExisting === spec.adoptExisting, `up succeeded but the state's steering of attachment ${name} is not the program's`);
  }
}

const declared = (m: Reference) => m.attachments.program.size > 0;
const anyLive = (m: Reference) => m.attachments.server.size > 0;
const index = fc.nat({ max: 7 });
const unconnected = (k: number) => (m: Reference) => anyLive(m) && !m.hasConnections(m.attachments.live(k).id);

function editSpec(label: string, k: number, change: (a: AttachmentReference, name: string) => void): Edit {
  return new Edit(label, declared, (m) => change(m.attachments, m.attachments.declared(k)[0]));
}

function outOfBand(label: string, k: number, act: (live: LiveAttachment, control: Emulator["control"]) => void): Edit {
  return new Edit(label, anyLive, (m, r) => act(m.attachments.live(k), r.emulator.control));
}

export function attachmentEdits(): fc.Arbitrary<Edit>[] {
  const name = fc.nat({ max: ATTACHMENT_NAMES.length - 1 });
  return [
    fc.tuple(name, fc.nat({ max: PLACES.length - 1 }), fc.nat({ max: ENVIRONMENTS.length - 1 })).map(([n, p, e]) =>
      new Edit(`addAttachment(${ATTACHMENT_NAMES[n]}, ${PLACES[p]!.cloud} ${PLACES[p]!.region}, ${ENVIRONMENTS[e]})`, (m) => m.attachments.program.size < 3, (m) => void m.attachments.add(n, p, e))),
    // The program's connections name declared attachments only: one they are on stays declared.
    index.map((k) => new Edit(`removeAttachment(#${k})`, (m) => declared(m) && !m.wired(m.attachments.declared(k)[0]), (m) => void m.attachments.program.delete(m.attachments.declared(k)[0]))),
    fc.tuple(index, name).map(([k, n]) => editSpec(`editAttachmentDisplayName(#${k}, ${ATTACHMENT_NAMES[n]})`, k, (a, at) => a.rename(at, n))),
    index.map((k) => new Edit(`editAttachmentPlace(#${k})`, declared, (m) => {
      const at = m.attachments.declared(k)[0];
      m.attachments.move(at, m.wired(at));
    })),
    fc.tuple(fc.nat({ max: DISPLAY_NAMES.length - 1 }), index).map(([n, k]) =>
      new Edit(`addOnAttachment(${DISPLAY_NAMES[n]}, #${k})`, (m) => m.program.size < 5 && [...m.attachments.program.values()].some((a) => a.cloud === "AWS"), (m) => void m.addOnAttachment(n, k))),
    index.map((k) => editSpec(`editAttachmentEnvironment(#${k})`, k, (a, at) => a.otherEnvironment(at))),
    fc.tuple(index, fc.nat({ max: TIMEOUTS.length - 1 })).map(([k, t]) =>
      editSpec(`editAttachmentTimeouts(#${k}, ${JSON.stringify(TIMEOUTS[t]) ?? "none"})`, k, (a, at) => void (a.program.get(at)!.timeouts = TIMEOUTS[t] && { ...TIMEOUTS[t] }))),
    fc.tuple(index, fc.nat({ max: ADOPT.length - 1 })).map(([k, v]) =>
      editSpec(`editAttachmentAdoptExisting(#${k}, ${ADOPT[v]})`, k, (a, at) => void (a.program.get(at)!.adoptExisting = ADOPT[v]))),
    index.map((k) => outOfBand(`renameAttachmentOutside(#${k})`, k, (live, control) => {
      control.renameAttachment(live.id, "renamed-outside");
      live.displayName = "renamed-outside";
    })),
    // The API refuses to delete one with connections; one with connections never expires.
    index.map((k) => new Edit(`deleteAttachmentOutside(#${k})`, unconnected(k), (m, r) => {
      const live = m.attachments.live(k);
      r.emulator.control.deleteAttachment(live.id);
      m.attachments.server.delete(live.id);
    })),
    index.map((k) => new Edit(`failAttachmentOutside(#${k})`, anyLive, (m, r) => {
      const live = m.attachments.live(k);
      r.emulator.control.setAttachmentPhase(live.id, "FAILED");
      m.attachments.force(live.id, "FAILED");
    })),
    fc.constant(new Edit("failNextAttachmentCreate", (m) => !m.attachments.failNextCreate, (m) => void (m.attachments.failNextCreate = true))),
    index.map((k) => new Edit(`expireAttachmentOutside(#${k})`, unconnected(k), (m, r) => {
      const live = m.attachments.live(k);
      r.emulator.control.setAttachmentPhase(live.id, "EXPIRED");
      m.attachments.force(live.id, "EXPIRED");
    })),
  ];
}
