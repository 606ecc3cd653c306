// Which bound applies to which request: timeouts.update bounds the PATCH; a refresh's read has a bound of its own
// (READ_TIMEOUT_MS), so a short timeouts.update never cuts a refresh off.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CONNECTIONS, Harness, PROVIDER_MARKER, awsArgs, thrown, until, withHarness } from "../support/provider";

const ITEM = `${CONNECTIONS}/*`;

describe("timeouts.update", () => {
  test("bounds the PATCH: a slow one fails naming timeouts.update, and the connection stays in state as it was", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "before", timeouts: { update: "1s" } });
      const { id, outs } = await h.create(args);
      h.control.clearRequests();
      h.control.injectFault({ method: "PATCH", path: ITEM, delayMs: 3000 });
      const error = await thrown(async () => h.provider.update(id, Harness.state(outs), await h.check({ ...args, displayName: "after" })));
      assert.match(error.message, /update private link attachment connection/);
      assert.ok(error.message.includes(id), error.message);
      assert.match(error.message, /deadline exceeded/);
      assert.match(error.message, /timeouts\.update = 1s passed/);
      assert.equal(error.id, id, "an init error: the connection is kept");
      assert.equal(error.properties.displayName, "before");
      assert.equal(error.properties.__provider, PROVIDER_MARKER);
      assert.deepEqual(h.requests().map((r) => r.method), ["PATCH"], "one PATCH, cut off, not retried");
      // The emulator finishes the slow PATCH on its own; wait for it so the test leaves nothing running.
      await until(() => h.requests()[0]!.status !== 0, "the slow PATCH to be answered", 10_000);
    });
  });
});

describe("read (refresh)", () => {
  test("has its own bound, not timeouts.update: a read slower than timeouts.update succeeds", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs({ timeouts: { update: "1s" } }));
      h.control.clearRequests();
      h.control.injectFault({ method: "GET", path: ITEM, delayMs: 1500 });
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.id, id);
      assert.equal(read.props?.phase, "READY");
      assert.deepEqual(h.requests().map((r) => `${r.method} ${r.status}`), ["GET 200"], "the slow read was answered, not abandoned");
    });
  });
});

describe("timeouts.delete as the stack's state holds it", () => {
  // State written by hand, by an older version or by `pulumi stack import`: `check` never saw these values.
  const unusable: [string, unknown, RegExp][] = [
    ["a string that does not parse", "forever", /timeouts\.delete = "forever" in the stack's state does not parse \(invalid duration "forever"[^)]*\)?.*; using 2h, the default/],
    ["a number", 600, /timeouts\.delete = 600 in the stack's state is not a duration string; using 2h, the default/],
  ];
  for (const [label, stored, warning] of unusable) {
    test(`${label}: the delete goes ahead with the default 2h and says so as a warning on the resource's row`, async () => {
      await withHarness({}, async (h) => {
        const { id, outs } = await h.create(awsArgs({ timeouts: { create: "5m" } }));
        await h.provider.delete(id, Harness.state({ ...outs, timeouts: { create: "5m", delete: stored } }));
        assert.equal(h.control.connection(id), undefined, "deleted");
        assert.equal(h.warnings().length, 1, h.warnings().join("\n"));
        assert.match(h.warnings()[0]!, warning);
      });
    });
  }

  test("timeouts that are not an object: the default, and a warning naming them", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      await h.provider.delete(id, Harness.state({ ...outs, timeouts: "30m" }));
      assert.equal(h.control.connection(id), undefined);
      assert.deepEqual(h.warnings(), ['timeouts = "30m" in the stack\'s state is not an object; using 2h, the default']);
    });
  });

  test("a valid one is honoured and an absent one is the default, without a warning", async () => {
    await withHarness({ timing: { provisioningMs: 50, deprovisioningMs: 60_000 } }, async (h) => {
      const first = await h.create(awsArgs());
      const error = await thrown(() => h.provider.delete(first.id, Harness.state({ ...first.outs, timeouts: { delete: "1s" } })));
      assert.match(error.message, /timeouts\.delete = 1s/);
      h.control.configure({ timing: { deprovisioningMs: 50 } });
      const { id, outs } = await h.create(awsArgs());
      await h.provider.delete(id, Harness.state({ ...outs, timeouts: undefined }));
      assert.equal(h.control.connection(id), undefined);
      assert.deepEqual(h.warnings(), []);
    });
  });
});
