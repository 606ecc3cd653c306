// The provider under the real Pulumi engine: the CLI from scripts/install-pulumi-cli.sh, the dynamic-provider
// plugin process, a file:// backend, against the emulator.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { EngineStack, type ConnectionSpec } from "../support/engine";
import { vpce } from "../support/emulator";
import { basic } from "../support/http";

const AZURE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/engine/providers/Microsoft.Network/privateEndpoints/pe-engine";
const POSTS = "POST /networking/v1/private-link-attachment-connections";

function threeConnections(): ConnectionSpec[] {
  return [
    { name: "aws", displayName: "engine-aws", vpcEndpointId: vpce() },
    { name: "azure", displayName: "engine-azure", attachment: "platt-emuazure", privateEndpointResourceId: AZURE_ID },
    { name: "gcp", displayName: "engine-gcp", attachment: "platt-emugcp", pscConnectionId: "424242424242" },
  ];
}

describe("a stack of three connections through its whole life", () => {
  let s: EngineStack;
  let program: ConnectionSpec[];
  before(async () => {
    s = await EngineStack.start();
    program = threeConnections();
    await s.setConnections(program);
  });
  after(() => s?.dispose());

  test("preview of a new stack plans three creates and sends no request to the API", async () => {
    const preview = await s.stack.preview();
    assert.equal(preview.changeSummary.create, 4, JSON.stringify(preview.changeSummary)); // the stack + 3 connections
    assert.equal(s.apiRequests(), 0, JSON.stringify(s.emulator.control.requests()));
  });

  test("up creates them READY with outputs; a second preview shows no changes and sends nothing", async () => {
    const up = await s.stack.up();
    assert.equal(up.summary.result, "succeeded");
    const out = await s.outputs();
    for (const name of ["aws", "azure", "gcp"]) {
      assert.equal(out[name]?.phase, "READY", name);
      assert.match(out[name]!.id, /^plattc-/);
      assert.equal(s.emulator.control.connection(out[name]!.id)?.phase, "READY");
    }
    assert.match(out.aws!.cloudStatus!.vpcEndpointServiceName!, /^com\.amazonaws\.vpce\./);
    assert.match(out.azure!.cloudStatus!.privateLinkServiceAlias!, /privatelinkservice$/);
    assert.match(out.gcp!.resourceName!, /^crn:\/\//);
    const before = s.apiRequests();
    const again = await s.stack.preview({ expectNoChanges: true });
    assert.equal(again.changeSummary.same, 4, JSON.stringify(again.changeSummary));
    assert.equal(s.apiRequests(), before, "a preview of an unchanged stack makes no API request");
  });

  test("a rename in the program updates in place; a new endpoint id replaces", async () => {
    const old = await s.outputs();
    program[0] = { ...program[0]!, displayName: "engine-aws-renamed" };
    await s.setConnections(program);
    const renamed = await s.stack.up();
    assert.equal(renamed.summary.resourceChanges?.update, 1, JSON.stringify(renamed.summary.resourceChanges));
    let out = await s.outputs();
    assert.equal(out.aws!.id, old.aws!.id, "same connection");
    assert.equal(s.emulator.control.connection(old.aws!.id)?.displayName, "engine-aws-renamed");

    program[0] = { ...program[0]!, vpcEndpointId: vpce() };
    await s.setConnections(program);
    const replaced = await s.stack.up();
    assert.equal(replaced.summary.resourceChanges?.replace, 1, JSON.stringify(replaced.summary.resourceChanges));
    out = await s.outputs();
    assert.notEqual(out.aws!.id, old.aws!.id, "a new connection");
    assert.equal(s.emulator.control.connection(out.aws!.id)?.phase, "READY");
    assert.equal(s.emulator.control.connection(old.aws!.id), undefined, "the old one is gone on the server");
  });

  test("an out-of-band rename is picked up by refresh, and the next up restores the program's name", async () => {
    const { gcp } = await s.outputs();
    s.emulator.control.rename(gcp!.id, "renamed-in-the-console");
    const preview = await s.stack.preview({ refresh: true, diff: true });
    assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));
    assert.match(preview.stdout, /renamed-in-the-console/);
    await s.stack.refresh();
    const refreshed = (await s.exported()).resources.find((r) => r.id === gcp!.id);
    assert.equal(refreshed?.outputs?.displayName, "renamed-in-the-console", "refresh recorded the live name in state");
    await s.stack.up();
    assert.equal((await s.outputs()).gcp!.id, gcp!.id);
    assert.equal(s.emulator.control.connection(gcp!.id)?.displayName, "engine-gcp");
  });

  test("an out-of-band delete is dropped by refresh, and the next up recreates it", async () => {
    const { azure } = await s.outputs();
    s.emulator.control.deleteConnection(azure!.id);
    await s.stack.refresh();
    assert.ok(!(await s.exported()).resources.some((r) => r.id === azure!.id), "refresh dropped it from state");
    await s.stack.up();
    const recreated = (await s.outputs()).azure!;
    assert.notEqual(recreated.id, azure!.id);
    assert.equal(s.emulator.control.connection(recreated.id)?.phase, "READY");
  });

  test("destroy returns only after every connection is gone from the emulator", async () => {
    await s.stack.destroy();
    assert.deepEqual(s.emulator.control.connections(), [], "destroy returned while connections still existed");
    assert.equal((await s.exported()).resources.length, 0);
  });
});

describe("credentials", () => {
  const canary = { apiKey: "ENGINECANARYKEY7", apiSecret: "engine-canary-secret-5d1c0ffee" };

  for (const mode of ["config", "env"] as const) {
    test(`from ${mode === "config" ? "stack config secrets" : "environment variables"}: up works and stack export holds neither credential`, async () => {
      const s = await EngineStack.start({ credentials: canary }, mode);
      try {
        await s.setConnections([{ name: "aws", displayName: `creds-${mode}`, vpcEndpointId: vpce() }]);
        await s.stack.up();
        const id = (await s.outputs()).aws!.id;
        assert.equal(s.emulator.control.connection(id)?.phase, "READY");
        assert.ok(s.emulator.control.requests().every((r) => r.auth === "basic"));
        const { text } = await s.exported();
        const basicForm = Buffer.from(`${canary.apiKey}:${canary.apiSecret}`).toString("base64");
        for (const secret of [canary.apiKey, canary.apiSecret, basicForm]) assert.ok(!text.includes(secret), `stack export contains ${secret}`);
      } finally {
        await s.dispose();
      }
    });
  }
});

describe("init errors and adoption", () => {
  test("FAILED: up fails but keeps the connection; once the fault clears the next up resumes it without replacing", async () => {
    const s = await EngineStack.start({ timing: { provisioningMs: 1500, deprovisioningMs: 300 } });
    const watcher = setInterval(() => {
      for (const c of s.emulator.control.connections()) if (c.phase === "PROVISIONING" && !c.forcedPhase) s.emulator.control.setPhase(c.id, "FAILED");
    }, 10);
    try {
      await s.setConnections([{ name: "aws", displayName: "will-fail", vpcEndpointId: vpce() }]);
      const failure = await s.stack.up().then(() => undefined, (e: Error) => e);
      clearInterval(watcher);
      assert.ok(failure, "up failed");
      assert.match(failure.message, /FAILED/);
      const [server] = s.emulator.control.connections();
      assert.ok(server, "the connection exists on the server");
      const [resource] = (await s.exported()).resources;
      assert.equal(resource?.id, server.id, "and in the stack");
      assert.ok((resource?.initErrors ?? []).length > 0, "recorded as an init error");

      s.emulator.control.setPhase(server.id, null);
      await s.stack.up();
      const out = (await s.outputs()).aws!;
      assert.equal(out.id, server.id, "resumed, not replaced");
      assert.equal(out.phase, "READY");
      assert.equal(s.emulator.control.counts().byRoute[POSTS], 1);
    } finally {
      clearInterval(watcher);
      await s.dispose();
    }
  });

  test("adoptExisting adopts a connection created outside the program", async () => {
    const s = await EngineStack.start();
    try {
      const endpoint = vpce();
      const res = await fetch(`${s.emulator.url}/networking/v1/private-link-attachment-connections`, {
        method: "POST",
        headers: { Authorization: basic(s.emulator.credentials.apiKey, s.emulator.credentials.apiSecret), "Content-Type": "application/json" },
        body: JSON.stringify({ spec: { display_name: "made-by-hand", cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: endpoint }, environment: { id: "env-emu000" }, private_link_attachment: { id: "platt-emuaws" } } }),
      });
      const existing = ((await res.json()) as { id: string }).id;
      await s.setConnections([{ name: "aws", displayName: "adopted", vpcEndpointId: endpoint, adoptExisting: true }]);
      await s.stack.up();
      const out = (await s.outputs()).aws!;
      assert.equal(out.id, existing);
      assert.equal(s.emulator.control.connections().length, 1);
      assert.equal(s.emulator.control.connection(existing)?.displayName, "adopted");
    } finally {
      await s.dispose();
    }
  });
});
