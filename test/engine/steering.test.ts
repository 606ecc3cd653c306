// `timeouts` and `adoptExisting` steer the provider (Pulumi's customTimeouts never reach a dynamic provider). A change
// of them alone is an update that sends no API request and records the program's values, which the next operation
// uses: `pulumi destroy` waits with the delete timeout the program has now.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

test("a change of timeouts or adoptExisting alone: the preview shows it, up records it without a request, destroy uses it", async () => {
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: vpce(), deleteTimeout: "2s" } });
  try {
    await p.pulumi(["up", "--yes"]);
    const id = String((await p.outputs()).id);

    await p.config("deleteTimeout", "30m");
    await p.config("adoptExisting", "true");
    const preview = await p.pulumi(["preview", "--diff"]);
    assert.match(preview.stdout, /~ 1 to update/, preview.stdout);
    assert.match(preview.stdout, /~ timeouts/, preview.stdout);
    assert.match(preview.stdout, /\+ adoptExisting\s*: true/, preview.stdout);

    p.emulator.control.clearRequests();
    await p.pulumi(["up", "--yes"]);
    assert.deepEqual(p.emulator.control.requests(), [], "the update sent nothing");
    const [r] = (await p.state()).resources;
    assert.deepEqual(r?.outputs?.timeouts, { create: "10m", delete: "30m" });
    assert.equal(r?.outputs?.adoptExisting, true);
    assert.equal(r?.id, id);
    const settled = await p.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    assert.equal(settled.code, 0, settled.stdout);

    // Deleting now takes 4 s: the recorded 2 s would give up, the program's 30 m does not.
    p.emulator.control.configure({ timing: { deprovisioningMs: 4000 } });
    await p.pulumi(["destroy", "--yes"]);
    assert.deepEqual(p.emulator.control.connections(), []);
  } finally {
    await p.dispose();
  }
});
