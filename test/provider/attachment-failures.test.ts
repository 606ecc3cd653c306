// The attachment's provider when things go wrong: FAILED or EXPIRED while created (kept in state, the next up
// replaces it), a 403 the list does or does not confirm, a POST whose answer is lost (never two attachments), and
// adoptExisting.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../provider/core/transport/api-error";
import { AttachmentHarness, ATTACHMENTS, attachmentArgs, withAttachments } from "../support/attachment";
import { ENV } from "../support/emulator";
import { thrown } from "../support/provider";

describe("attachment create that ends badly", () => {
  for (const phase of ["FAILED", "EXPIRED"] as const) {
    test(`${phase} while waiting: an init error that keeps it in state, names the phase and the API's error, and says the next up replaces it`, async () => {
      await withAttachments({}, async (h) => {
        const stop = h.control.onAttachmentCreated((view) => {
          h.control.setAttachmentPhase(view.id, phase, { errorCode: "E_TEST", errorMessage: `went ${phase.toLowerCase()}` });
        });
        const inputs = await h.check(attachmentArgs());
        const error = await thrown(() => h.provider.create(inputs));
        stop();
        const id = h.control.attachments().find((a) => !a.seeded)!.id;
        assert.equal(error.name, "KeptInStateError");
        assert.equal(error.id, id);
        assert.equal(error.properties.phase, phase);
        assert.equal(error.properties.errorCode, "E_TEST");
        assert.equal(error.properties.__provider, "serialized-provider-source");
        assert.match(error.message, new RegExp(`^create private link attachment: ${id} ${phase}: E_TEST: went ${phase.toLowerCase()}`));
        assert.match(error.message, /the next `pulumi up` replaces it/);
        assert.ok(error.reasons.includes("error_code: E_TEST"));
        const diff = await h.provider.diff(id, error.properties, inputs);
        assert.deepEqual(diff.replaces, ["phase"], "the next up replaces it");
      });
    });
  }

  test("an update of a recorded EXPIRED attachment reads it again and fails saying what to do, keeping it in state", async () => {
    await withAttachments({}, async (h) => {
      const { id, outs, inputs } = await h.create(attachmentArgs());
      h.control.setAttachmentPhase(id, "EXPIRED");
      const error = await thrown(() => h.provider.update(id, AttachmentHarness.state({ ...outs, phase: "EXPIRED" }), { ...inputs, displayName: "x" }));
      assert.equal(error.name, "KeptInStateError");
      assert.match(error.message, new RegExp(`^update private link attachment: ${id} is EXPIRED.*can only be deleted`));
      assert.equal(h.count("PATCH", "item"), 0);
    });
  });
});

describe("attachment: 403", () => {
  test("a 403 for an attachment its environment still lists is an error naming operation, id, status, detail and request id", async () => {
    await withAttachments({}, async (h) => {
      const { id, outs } = await h.create(attachmentArgs());
      h.control.injectFault({ method: "GET", path: `${ATTACHMENTS}/*`, status: 403, body: JSON.stringify({ errors: [{ status: "403", detail: "Forbidden Access" }] }) });
      const error = await thrown(() => h.provider.read(id, AttachmentHarness.state(outs)));
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 403);
      assert.equal(error.operation, "read");
      assert.equal(error.resourceId, id);
      const refused = h.requests({ method: "GET", route: "item" }).find((r) => r.status === 403)!;
      assert.match(error.message, new RegExp(`^read private link attachment \\(${id} in ${ENV}\\): HTTP 403 Forbidden: Forbidden Access \\(request id ${refused.requestId}\\)`));
      assert.match(error.message, /is listed in env-emu000, so it exists and this request was refused/);
      assert.ok(h.control.attachment(id), "not deleted, not dropped");
    });
  });

  test("a rename refused with 403 while the environment lists the attachment: kept in state as it was, the error says it exists", async () => {
    await withAttachments({}, async (h) => {
      const { id, outs, inputs } = await h.create(attachmentArgs({ displayName: "before" }));
      h.control.injectFault({ method: "PATCH", path: `${ATTACHMENTS}/*`, status: 403, body: JSON.stringify({ errors: [{ status: "403", detail: "Forbidden Access" }] }) });
      const error = await thrown(() => h.provider.update(id, AttachmentHarness.state(outs), { ...inputs, displayName: "after" }));
      assert.equal(error.name, "KeptInStateError");
      assert.equal(error.properties.displayName, "before");
      assert.match(error.message, new RegExp(`^update private link attachment \\(${id} in ${ENV}\\): HTTP 403 Forbidden: Forbidden Access \\(request id [\\w-]+\\)`));
      assert.match(error.message, /is listed in env-emu000, so it exists and this request was refused/);
    });
  });

  test("a delete whose wait meets 403s (gone as production answers) ends once the list confirms it is gone", async () => {
    await withAttachments({ goneAs403: true }, async (h) => {
      const { id, outs } = await h.create(attachmentArgs());
      await h.provider.delete(id, AttachmentHarness.state(outs));
      assert.equal(h.control.attachment(id), undefined);
      assert.equal(h.requests({ method: "GET", route: "item" }).filter((r) => r.path.endsWith(id)).at(-1)!.status, 403);
      assert.ok(h.lines.some((l) => l.line.includes(`${id}: HTTP 403 and not listed in ${ENV}: it is gone`)));
    });
  });
});

describe("attachment: never two, and adoptExisting", () => {
  test("a POST applied but answered with a reset is reconciled by listing: one attachment, the one the request made", async () => {
    await withAttachments({}, async (h) => {
      h.control.injectFault({ method: "POST", path: ATTACHMENTS, reset: true, when: "after" });
      const { id } = await h.create(attachmentArgs({ displayName: "lost-answer" }));
      const made = h.control.attachments().filter((a) => !a.seeded);
      assert.equal(made.length, 1, "one attachment");
      assert.equal(made[0]!.id, id);
      assert.equal(h.count("POST", "collection"), 1, "not sent again");
      assert.ok(h.lines.some((l) => l.line.includes(`${id}: the create request failed in transit but the attachment was created`)));
    });
  });

  test("adoptExisting takes the attachment with the same environment, cloud, region and display name, without a POST", async () => {
    await withAttachments({}, async (h) => {
      const existing = await h.create(attachmentArgs({ displayName: "shared-pla" }));
      const before = h.count("POST", "collection");
      const adopted = await h.create(attachmentArgs({ displayName: "shared-pla", adoptExisting: true }));
      assert.equal(adopted.id, existing.id);
      assert.equal(h.count("POST", "collection"), before, "no POST");
      assert.equal(adopted.outs.adoptExisting, true);
      assert.ok(h.lines.some((l) => l.line.includes(`${existing.id}: adopting the existing attachment for attachment "shared-pla" (AWS us-west-2 in ${ENV}) (adoptExisting)`)));
      const other = await h.create(attachmentArgs({ displayName: "shared-pla", region: "us-east-1", adoptExisting: true }));
      assert.notEqual(other.id, existing.id, "another region is another attachment");
    });
  });
});
