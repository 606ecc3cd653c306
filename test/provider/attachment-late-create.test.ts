// The attachment's late-applied create. Nothing on the API stops two attachments with the same inputs, so a POST of
// ours that the API applies after its failed answer and after the reconciliation list found nothing makes a second
// attachment beside the one the POST sent again made. Once the create has waited for the one it keeps, it looks
// again and deletes the other (core/create.ts copies). Deterministic: the emulator holds the first POST (fault
// applyAfterMs) and the test applies it when the provider says it sends the create again — before that POST, or
// right after it was applied.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FaultSpec } from "../../emulator";
import type { ProviderOptions } from "../../provider/core/operation";
import { ATTACHMENTS, AttachmentHarness, attachmentArgs, withAttachments } from "../support/attachment";

const RESENDING = /failed in transit and created nothing \(checked\); sending it again/;
const HELD = 600_000;

type Moment = "before the second POST" | "after the second POST";

/** A harness whose provider runs `onResend` when it announces the second POST. */
async function withResendHook(fn: (h: AttachmentHarness, onResend: (hook: () => void) => void) => Promise<void>): Promise<void> {
  let hook: () => void = () => undefined;
  let harness: AttachmentHarness | undefined;
  const log: ProviderOptions["log"] = (level, line) => {
    harness?.lines.push({ level, line });
    if (RESENDING.test(line)) hook();
  };
  await withAttachments({}, async (h) => {
    harness = h;
    await fn(h, (next) => (hook = next));
  }, { log });
}

/** Applies the held POST at `moment`: at once, or once the second POST has made its attachment. */
function applyLate(h: AttachmentHarness, moment: Moment): () => void {
  return () => {
    if (moment === "before the second POST") return void h.control.applyLateRequests();
    const stop = h.control.onAttachmentCreated(() => {
      stop();
      setImmediate(() => h.control.applyLateRequests());
    });
  };
}

describe("an attachment's create applied after its failed answer and after the reconciliation list", () => {
  const cases: [string, FaultSpec, Moment][] = [
    ["a connection reset", { reset: true }, "before the second POST"],
    ["a 503", { status: 503 }, "after the second POST"],
  ];
  for (const [answer, spec, moment] of cases) {
    test(`answered with ${answer}, applied ${moment}: the second attachment it made is deleted, the one waited for kept`, async () => {
      await withResendHook(async (h, onResend) => {
        h.control.injectFault({ method: "POST", path: ATTACHMENTS, applyAfterMs: HELD, ...spec });
        onResend(applyLate(h, moment));
        const { id, outs } = await h.create(attachmentArgs());

        const posts = h.requests({ method: "POST" });
        assert.deepEqual(posts.map((r) => [r.status, r.appliedStatus]), [[spec.reset ? "reset" : 503, 202], [202, undefined]]);
        const copy = h.control.attachments().find((a) => !a.seeded && a.id !== id);
        assert.ok(copy, "the late POST made a second attachment");
        assert.ok(copy.phase === "DEPROVISIONING" || copy.deletedAt !== undefined, `the second one is being deleted: ${copy.phase}`);
        assert.deepEqual(h.requests({ method: "DELETE" }).map((r) => r.path), [`${ATTACHMENTS}/${copy.id}`], "only the second one is deleted");
        assert.equal(outs.phase, "WAITING_FOR_CONNECTIONS");
        assert.equal(h.control.attachment(id)?.deletedAt, undefined, "the one waited for stays");
        assert.ok(
          h.lines.some((l) => l.level === "info" && l.line.startsWith(`${copy.id}: a second attachment for attachment "${String(outs.displayName)}"`) && l.line.endsWith(`deleted it and kept ${id}`)),
          h.lines.map((l) => l.line).join("\n"),
        );
      });
    });
  }

  test("a second attachment that cannot be deleted is named in a warning; the create still succeeds with the one it waited for", async () => {
    await withResendHook(async (h, onResend) => {
      h.control.injectFault({ method: "POST", path: ATTACHMENTS, applyAfterMs: HELD, status: 503 });
      onResend(applyLate(h, "before the second POST"));
      h.control.injectFault({ method: "DELETE", path: `${ATTACHMENTS}/*`, status: 400, count: 1 });
      const { id } = await h.create(attachmentArgs());

      const copy = h.control.attachments().find((a) => !a.seeded && a.id !== id);
      assert.ok(copy && copy.deletedAt === undefined, "the second one is still there");
      const warning = h.lines.find((l) => l.level === "warn" && l.line.startsWith(`${copy.id} is a second attachment`));
      assert.ok(warning, h.lines.map((l) => `${l.level}: ${l.line}`).join("\n"));
      assert.match(warning.line, /HTTP 400/);
      assert.match(warning.line, new RegExp(`delete it: it is not in the stack, which keeps ${id}$`));
    });
  });

  test("no request of ours failed in transit: no second look, nothing deleted", async () => {
    await withResendHook(async (h) => {
      await h.create(attachmentArgs());
      assert.equal(h.count("GET", "collection"), 0, "no list");
      assert.equal(h.requests({ method: "DELETE" }).length, 0);
    });
  });

  test("a reset after the POST was applied: the reconciliation finds it and no second POST is sent; nothing is deleted", async () => {
    await withResendHook(async (h) => {
      h.control.injectFault({ method: "POST", path: ATTACHMENTS, reset: true, when: "after" });
      const { id } = await h.create(attachmentArgs());
      assert.equal(h.requests({ method: "POST" }).length, 1);
      assert.deepEqual(h.control.attachments().filter((a) => !a.seeded).map((a) => a.id), [id]);
      assert.equal(h.requests({ method: "DELETE" }).length, 0);
    });
  });
});
