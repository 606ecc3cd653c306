// Replace keeping the endpoint: a new attachment (or environment) for the same VPC endpoint. Confluent allows one
// connection per endpoint, so the engine must delete the old one before creating the new one, and it does,
// because diff answers deleteBeforeReplace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

const CONNECTIONS = "/networking/v1/private-link-attachment-connections";

test("a new attachment for the same endpoint: delete-before-replace, never two connections for it, the new one READY", async () => {
  const endpoint = vpce();
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: endpoint } });
  p.emulator.control.addAttachment({ id: "platt-second", environmentId: "env-emu000", cloud: "AWS", region: "us-east-1" });
  let most = 0;
  const watch = setInterval(() => {
    most = Math.max(most, p.emulator.control.connections().filter((c) => c.endpointId === endpoint).length);
  }, 5);
  try {
    await p.pulumi(["up", "--yes"]);
    const old = String((await p.outputs()).id);
    await p.config("attachmentId", "platt-second");
    const preview = await p.pulumi(["preview", "--diff"]);
    assert.match(preview.stdout, /\+-\s*1 to replace|1 to replace/, preview.stdout);
    p.emulator.control.clearRequests();
    const up = await p.pulumi(["up", "--yes"]);
    assert.match(up.stdout, /deleted original/, "the engine ran delete-before-replace");
    const now = String((await p.outputs()).id);
    assert.notEqual(now, old);
    assert.equal(p.emulator.control.connection(old), undefined);
    const view = p.emulator.control.connection(now);
    assert.equal(view?.phase, "READY");
    assert.equal(view?.privateLinkAttachmentId, "platt-second");

    // In the API's own log: the old connection was DELETEd and seen gone (404) before the new one was POSTed.
    const log = p.emulator.control.requests();
    const post = log.findIndex((r) => r.method === "POST" && r.path === CONNECTIONS);
    const gone = log.findIndex((r) => r.method === "GET" && r.path === `${CONNECTIONS}/${old}` && r.status === 404);
    const del = log.findIndex((r) => r.method === "DELETE" && r.path === `${CONNECTIONS}/${old}`);
    assert.ok(del >= 0 && gone > del && post > gone, JSON.stringify(log.map((r) => `${r.method} ${r.path} ${r.status}`)));
    assert.equal(most, 1, "at no moment did two connections exist for the endpoint");
    const [r] = (await p.state()).resources;
    assert.equal(r?.id, now);
  } finally {
    clearInterval(watch);
    await p.dispose();
  }
});

test("a new environment for the same endpoint also replaces delete-before-create", async () => {
  const endpoint = vpce();
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: endpoint } });
  p.emulator.control.addAttachment({ id: "platt-otherenv", environmentId: "env-other1", cloud: "AWS", region: "us-east-1" });
  try {
    await p.pulumi(["up", "--yes"]);
    const old = String((await p.outputs()).id);
    await p.config("environmentId", "env-other1");
    await p.config("attachmentId", "platt-otherenv");
    const up = await p.pulumi(["up", "--yes"]);
    assert.match(up.stdout, /deleted original/);
    const now = String((await p.outputs()).id);
    assert.equal(p.emulator.control.connection(old), undefined);
    assert.equal(p.emulator.control.connection(now)?.environmentId, "env-other1");
    assert.equal(p.emulator.control.connection(now)?.phase, "READY");
  } finally {
    await p.dispose();
  }
});
