// An existing connection read through the engine and not managed (`PrivateLinkAttachmentConnection.get`), and the
// data source in pulumi-confluentcloud's forms, under the `pulumi` CLI with credentials only in the stack config.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AWS_ATTACHMENT, ENV, vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

test("get reads an existing connection (env-…/plattc-… or plattc-… with state.environment), the data source finds it, destroy leaves it", async () => {
  const p = await EngineProject.start("read-existing", { credentials: "config" });
  try {
    const vpcEndpointId = vpce();
    const seeded = p.emulator.control.seedConnection({
      spec: { display_name: "existing", cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpcEndpointId }, environment: { id: ENV }, private_link_attachment: { id: AWS_ATTACHMENT } },
      status: { phase: "READY" },
    });
    await p.config("connectionId", seeded.id);
    const resourceName = (seeded.body as { metadata: { resource_name: string } }).metadata.resource_name;

    await p.pulumi(["up", "--yes"]);
    const outputs = await p.outputs();
    const expected = {
      id: seeded.id, displayName: "existing", phase: "READY", aws: { vpcEndpointId }, environment: { id: ENV },
      privateLinkAttachment: { id: AWS_ATTACHMENT }, resourceName, isInstance: true,
    };
    assert.deepEqual(outputs.readByImportId, expected);
    assert.deepEqual(outputs.readById, expected);
    assert.deepEqual(outputs.dataSource, { id: seeded.id, displayName: "existing", resourceName });
    assert.deepEqual(outputs.dataSourceOutput, { id: seeded.id, displayName: "existing", resourceName });

    const { deployment } = await p.project.exportState();
    const read = (deployment.resources ?? []).filter((r) => r.type.endsWith(":PrivateLinkAttachmentConnection")) as Array<{ id?: string; external?: boolean }>;
    assert.equal(read.length, 2);
    assert.ok(read.every((r) => r.external === true && r.id === seeded.id), JSON.stringify(read.map((r) => [r.id, r.external])));

    await p.pulumi(["refresh", "--yes"]);
    await p.pulumi(["destroy", "--yes"]);
    const methods = new Set(p.emulator.control.requests().map((r) => r.method));
    assert.deepEqual([...methods], ["GET"], "reads only: nothing created, changed or deleted");
    assert.equal(p.emulator.control.connection(seeded.id)?.phase, "READY", "destroy left the connection");
    assert.deepEqual((await p.state()).resources, []);
  } finally {
    await p.dispose();
  }
});

test("get and the data source of an id that does not exist fail the update, naming the id; nothing enters the state", async () => {
  const p = await EngineProject.start("read-existing", { credentials: "config", config: { connectionId: "plattc-missing" } });
  try {
    const up = await p.pulumi(["up", "--yes"], { allowFailure: true });
    assert.notEqual(up.code, 0);
    const printed = up.stdout + up.stderr;
    assert.match(printed, /plattc-missing/);
    assert.match(printed, /read private link attachment connection \(plattc-missing in env-emu000\): HTTP 404/, "the data source's error names operation, id and status");
    const requestIds = p.emulator.control.requests().filter((r) => r.status === 404).map((r) => r.requestId);
    assert.ok(requestIds.some((id) => printed.includes(id)), "and the request id");
    assert.deepEqual((await p.state()).resources, []);
  } finally {
    await p.dispose();
  }
});
