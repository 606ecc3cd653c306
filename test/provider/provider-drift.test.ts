// Refresh and drift: out-of-band rename and delete, as `pulumi refresh` (read) and the next preview (diff) and
// `up` (update) see them.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Harness, awsArgs, gcpArgs, withHarness } from "../support/provider";

describe("out-of-band rename", () => {
  test("read returns the new name in props and inputs; diff shows an update (no replace); update restores it with one PATCH", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "from-program", timeouts: { create: "30m" } });
      const { id, outs, inputs } = await h.create(args);
      h.control.rename(id, "renamed-in-console");

      h.control.clearRequests();
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(h.control.requests().length, 1, "refresh is one GET");
      assert.equal(read.id, id);
      assert.equal(read.props?.displayName, "renamed-in-console");
      assert.equal(read.inputs?.displayName, "renamed-in-console");
      // The refreshed inputs are what a program with that name would give: no drift against themselves…
      assert.deepEqual(read.inputs, {
        displayName: "renamed-in-console",
        environment: args.environment,
        privateLinkAttachment: args.privateLinkAttachment,
        aws: args.aws,
        timeouts: { create: "30m" },
      });
      assert.equal((await h.provider.diff(id, Harness.state(read.props!), await h.check(read.inputs!))).changes, false);

      // …and the program's own inputs now differ: an in-place update.
      const diff = await h.provider.diff(id, Harness.state(read.props!), inputs);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
      assert.equal(diff.deleteBeforeReplace, false);

      h.control.clearRequests();
      const { outs: updated } = await h.provider.update(id, Harness.state(read.props!), inputs);
      assert.deepEqual(h.control.requests().map((r) => r.method), ["PATCH"]);
      assert.equal(h.control.connection(id)!.displayName, "from-program");
      assert.equal(updated?.displayName, "from-program");
      assert.deepEqual(updated?.timeouts, { create: "30m" });
      assert.equal((await h.provider.diff(id, Harness.state(updated!), inputs)).changes, false);
    });
  });

  test("name removed out-of-band: the program's name comes back; a program without a name clears it", async () => {
    await withHarness({}, async (h) => {
      const args = gcpArgs({ displayName: "named" });
      const { id, outs, inputs } = await h.create(args);
      h.control.rename(id, null);
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.props?.displayName, undefined);
      assert.equal("displayName" in (read.inputs ?? {}), false);
      assert.equal((await h.provider.diff(id, Harness.state(read.props!), inputs)).changes, true);
      const { outs: restored } = await h.provider.update(id, Harness.state(read.props!), inputs);
      assert.equal(h.control.connection(id)!.displayName, "named");

      // The program drops displayName: the name is cleared on the server, and stays without drift.
      const unnamed = await h.check({ ...args, displayName: undefined });
      assert.equal((await h.provider.diff(id, Harness.state(restored!), unnamed)).changes, true);
      const { outs: cleared } = await h.provider.update(id, Harness.state(restored!), unnamed);
      assert.ok(!h.control.connection(id)!.displayName, "no name on the server");
      assert.equal(cleared?.displayName, undefined);
      const again = await h.provider.read(id, Harness.state(cleared!));
      assert.equal((await h.provider.diff(id, Harness.state(again.props!), unnamed)).changes, false);
    });
  });

  test("a rename in the console to the program's own name is not drift", async () => {
    await withHarness({}, async (h) => {
      const { id, outs, inputs } = await h.create(awsArgs({ displayName: "same" }));
      h.control.rename(id, "same");
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal((await h.provider.diff(id, Harness.state(read.props!), inputs)).changes, false);
    });
  });
});

describe("out-of-band delete", () => {
  test("gone at once: read returns no id (removed from state)", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.deleteConnection(id);
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.id, undefined);
      assert.equal(read.props, undefined);
      assert.deepEqual(h.control.requests().at(-1)!.status, 404);
    });
  });

  test("still DEPROVISIONING: read keeps it with phase DEPROVISIONING and warns", async () => {
    await withHarness({ timing: { provisioningMs: 50, deprovisioningMs: 60_000 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.deleteConnection(id, { graceful: true });
      const read = await h.provider.read(id, Harness.state(outs));
      assert.equal(read.id, id);
      assert.equal(read.props?.phase, "DEPROVISIONING");
      assert.ok(h.warnings().some((w) => w.includes(id) && w.includes("DEPROVISIONING")));
    });
  });

  test("refresh after our own delete finished: no id", async () => {
    await withHarness({ timing: { provisioningMs: 50, deprovisioningMs: 100 } }, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      await h.provider.delete(id, Harness.state(outs));
      assert.deepEqual(await h.provider.read(id, Harness.state(outs)), {});
    });
  });
});
