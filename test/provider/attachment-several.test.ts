// Several attachments that fit one create (the same environment, cloud, region and display name: the API allows any
// number): adoptExisting takes one over only when exactly one is live, and fails before any POST naming them all
// otherwise; a POST whose answer was lost takes the one its request made, never an earlier one, and names them all
// when several can be its.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ATTACHMENTS, attachmentArgs, withAttachments, type AttachmentHarness } from "../support/attachment";
import { ENV } from "../support/emulator";
import { thrown } from "../support/provider";

const HOUR = 3_600_000;

/** An attachment made outside the program (provisioned, on the emulator's clock now) that fits attachmentArgs({ displayName }). */
function seedFitting(h: AttachmentHarness, id: string, displayName: string): string {
  h.control.addAttachment({ id, environmentId: ENV, cloud: "AWS", region: "us-west-2", displayName });
  return id;
}

function made(h: AttachmentHarness): string[] {
  return h.control.attachments().filter((a) => !a.seeded).map((a) => a.id);
}

describe("adoptExisting with several attachments that fit", () => {
  test("two live ones: the create fails before any POST, naming both and what to do", async () => {
    await withAttachments({}, async (h) => {
      const ids = [seedFitting(h, "platt-twin01", "twin"), seedFitting(h, "platt-twin02", "twin")];
      const error = await thrown(() => h.create(attachmentArgs({ displayName: "twin", adoptExisting: true })));
      assert.match(error.message, /^adoptExisting takes over one existing attachment, and 2 fit attachment "twin" \(AWS us-west-2 in env-emu000\): platt-twin01, platt-twin02\. None of them is taken\./);
      assert.match(error.message, /Give them distinct display names, or delete the extra ones, or leave them out of this program and reference one read-only with PrivateLinkAttachment\.get\("name", "env-emu000\/platt-twin01"\)/);
      assert.equal(h.count("POST", "collection"), 0, "no POST");
      assert.deepEqual(h.requests().map((r) => `${r.method} ${r.route}`), [`GET ${ATTACHMENTS}`], "the list only");
      assert.deepEqual(made(h), []);
      for (const id of ids) assert.equal(h.control.attachment(id)?.displayName, "twin", `${id} untouched`);
    });
  });

  test("one live among EXPIRED, FAILED and deleted ones that fit: the live one is adopted, without a POST", async () => {
    await withAttachments({}, async (h) => {
      const live = seedFitting(h, "platt-live01", "one-live");
      h.control.setAttachmentPhase(seedFitting(h, "platt-expd01", "one-live"), "EXPIRED");
      h.control.setAttachmentPhase(seedFitting(h, "platt-fail01", "one-live"), "FAILED");
      h.control.setAttachmentPhase(seedFitting(h, "platt-gone01", "one-live"), "DEPROVISIONING");
      const { id, outs } = await h.create(attachmentArgs({ displayName: "one-live", adoptExisting: true }));
      assert.equal(id, live);
      assert.equal(outs.adoptExisting, true);
      assert.equal(h.count("POST", "collection"), 0, "no POST");
    });
  });
});

describe("a create POST whose answer was lost, among attachments that fit", () => {
  // The emulator's clock, an hour behind while the earlier attachments are made.
  let offsetMs = 0;
  const clock = { now: () => Date.now() + offsetMs };

  async function withEarlier(fn: (h: AttachmentHarness, earlier: string) => Promise<void>): Promise<void> {
    await withAttachments({ clock }, async (h) => {
      offsetMs = -HOUR;
      const earlier = seedFitting(h, "platt-early1", "same-name");
      offsetMs = 0;
      await fn(h, earlier);
    });
  }

  test("applied, then reset: the one the request made is taken, not the earlier one", async () => {
    await withEarlier(async (h, earlier) => {
      h.control.injectFault({ method: "POST", path: ATTACHMENTS, reset: true, when: "after" });
      const { id } = await h.create(attachmentArgs({ displayName: "same-name" }));
      assert.deepEqual(made(h), [id]);
      assert.notEqual(id, earlier);
      assert.equal(h.count("POST", "collection"), 1, "not sent again");
      assert.ok(h.lines.some((l) => l.line.includes(`${id}: the create request failed in transit but the attachment was created`)));
    });
  });

  test("reset before it was applied: an earlier one that fits says nothing of ours (the API holds any number), so it is sent again", async () => {
    await withEarlier(async (h, earlier) => {
      h.control.injectFault({ method: "POST", path: ATTACHMENTS, reset: true });
      const { id } = await h.create(attachmentArgs({ displayName: "same-name" }));
      assert.deepEqual(made(h), [id]);
      assert.notEqual(id, earlier);
      assert.deepEqual(h.requests({ method: "POST", route: "collection" }).map((r) => r.status), ["reset", 202]);
      assert.equal(h.control.attachment(earlier)?.displayName, "same-name", "the earlier one untouched");
    });
  });

  test("another that fits made while the request was applied: which one it made cannot be told, the error names both", async () => {
    await withAttachments({}, async (h) => {
      const stop = h.control.onAttachmentCreated(() => seedFitting(h, "platt-twin03", "raced"));
      h.control.injectFault({ method: "POST", path: ATTACHMENTS, reset: true, when: "after" });
      const error = await thrown(() => h.create(attachmentArgs({ displayName: "raced" })));
      stop();
      const [ours] = made(h);
      assert.match(error.message, /^the create request for attachment "raced" \(AWS us-west-2 in env-emu000\) failed in transit \(.*\), and 2 attachments that it can have made were created since it was sent: which one it made cannot be told: /);
      for (const id of [ours!, "platt-twin03"]) assert.ok(error.message.includes(id), `${id} in: ${error.message}`);
      assert.equal(h.count("POST", "collection"), 1, "not sent again");
    });
  });
});
