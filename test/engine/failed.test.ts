// A create that ends FAILED: kept in the stack with an error saying what the next `up` does, and that `up` replaces
// it (the FAILED connection deleted and waited for, a new one created and waited for). Never the same error forever.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject, posts } from "../support/engine";

test("a create that ends FAILED is kept with an error naming the next step; the next up replaces it, deleting it first", async () => {
  const endpoint = vpce();
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: endpoint } });
  const stopFailing = p.emulator.control.onCreated((view) => p.emulator.control.setPhase(view.id, "FAILED", { errorCode: "PROVISIONING_FAILED", errorMessage: "endpoint rejected" }));
  try {
    const first = await p.pulumi(["up", "--yes"], { allowFailure: true });
    const output = `${first.stdout}\n${first.stderr}`;
    assert.notEqual(first.code, 0);
    const [failed] = p.emulator.control.connections();
    assert.ok(failed);
    assert.match(output, new RegExp(`${failed.id} FAILED: PROVISIONING_FAILED: endpoint rejected`), output);
    assert.match(output, /kept in the stack as FAILED; the next `pulumi up` replaces it/, output);
    const [kept] = (await p.state()).resources;
    assert.equal(kept?.id, failed.id);
    assert.equal(kept?.outputs?.phase, "FAILED");

    stopFailing();
    const preview = await p.pulumi(["preview", "--diff"]);
    assert.match(preview.stdout, /\+-\s*pulumi-nodejs:dynamic\/confluentcloud:PrivateLinkAttachmentConnection: \(replace\)/, preview.stdout);
    p.emulator.control.clearRequests();
    await p.pulumi(["up", "--yes"]);
    const outputs = await p.outputs();
    assert.notEqual(outputs.id, failed.id);
    assert.equal(outputs.phase, "READY");
    assert.deepEqual(p.emulator.control.connections().map((c) => c.id), [outputs.id], "only the new connection remains");
    const requests = p.emulator.control.requests().map((r) => `${r.method} ${r.path}`);
    const deleted = requests.indexOf(`DELETE /networking/v1/private-link-attachment-connections/${failed.id}`);
    const gone = requests.findIndex((r, i) => i > deleted && r.startsWith(`GET /networking/v1/private-link-attachment-connections/${failed.id}`));
    const created = requests.indexOf("POST /networking/v1/private-link-attachment-connections");
    assert.ok(deleted >= 0 && gone > deleted && created > gone, `delete, wait until gone, then create: ${requests.join(", ")}`);
    assert.equal(posts(p.emulator), 1, "one create, for the replacement");
    assert.deepEqual((await p.state()).resources[0]?.initErrors ?? [], []);
    const settled = await p.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    assert.equal(settled.code, 0, settled.stdout);
  } finally {
    stopFailing();
    await p.dispose();
  }
});
