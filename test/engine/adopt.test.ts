// adoptExisting under the `pulumi` CLI: a connection made outside Pulumi comes under management.
import { test } from "node:test";
import assert from "node:assert/strict";
import { awsBody, vpce } from "../support/emulator";
import { basic } from "../support/http";
import { EngineProject } from "../support/engine";

test("adoptExisting: true adopts the connection for the endpoint and renames it to the program's name", async () => {
  const endpoint = vpce();
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: endpoint, adoptExisting: "true", displayName: "adopted" } });
  try {
    const made = await fetch(`${p.emulator.url}/networking/v1/private-link-attachment-connections`, {
      method: "POST",
      headers: { Authorization: basic(p.emulator.credentials.apiKey, p.emulator.credentials.apiSecret), "Content-Type": "application/json" },
      body: JSON.stringify(awsBody(endpoint, { displayName: "made-by-hand" })),
    });
    assert.equal(made.status, 202);
    const existing = (await made.json()) as { id: string };
    await p.pulumi(["up", "--yes"]);
    assert.equal((await p.outputs()).id, existing.id);
    assert.equal(p.emulator.control.connections().length, 1);
    assert.equal(p.emulator.control.connection(existing.id)?.displayName, "adopted");
    assert.equal((await p.state()).resources[0]?.id, existing.id);
    const creates = p.emulator.control.requests().filter((r) => r.method === "POST").map((r) => r.status);
    assert.deepEqual(creates, [202], "the hand-made create only: the provider found the connection by listing the attachment's");
  } finally {
    await p.dispose();
  }
});
