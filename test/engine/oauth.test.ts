// OAuth on the user's path: only `confluentcloud:oauth` in the stack config (set with `pulumi config set --path`,
// the client secret with --secret), a connection whose create waits longer than several STS tokens live, and an
// attachment beside it, both created and destroyed with STS tokens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CONNECTIONS, vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

const CLIENT = { clientId: "engine-client", clientSecret: "engine-oauth-s3cr3t-7c6b5a4f3e2d-Xy" };
const POOL = "pool-engine";
const ATTACHMENTS = "/networking/v1/private-link-attachments";

test("pulumi up and destroy of a connection and an attachment with only confluentcloud:oauth, through a wait longer than three STS tokens", async () => {
  const p = await EngineProject.start("one-connection", {
    credentials: "none",
    emulator: {
      oauth: { identityPools: [POOL], clients: [CLIENT], stsTokenLifetimeSeconds: 2, externalTokenLifetimeSeconds: 5 },
      timing: { provisioningMs: 7000, deprovisioningMs: 300 },
      // Provisioned within the connection's wait: the attachment adds no time.
      attachmentTiming: { provisioningMs: 3000, deprovisioningMs: 300 },
    },
    config: { vpcEndpointId: vpce(), withAttachment: "true" },
  });
  try {
    await p.useOAuth(CLIENT, POOL);

    const up = await p.pulumi(["up", "--yes"]);
    const outputs = await p.outputs();
    const [id, attachmentId] = [String(outputs.id), String(outputs.attachmentId)];
    assert.equal(p.emulator.control.connection(id)?.phase, "READY");
    assert.equal(p.emulator.control.attachment(attachmentId)?.phase, "WAITING_FOR_CONNECTIONS");
    const log = p.emulator.control.requests();
    const exchanges = log.filter((r) => r.method === "POST" && r.path === "/sts/v1/oauth2/token").length;
    assert.ok(exchanges >= 3, `${exchanges} STS exchanges during a 7 s wait on 2 s tokens`);
    const stackConfig = readFileSync(path.join(p.project.dir, "Pulumi.dev.yaml"), "utf8");
    assert.match(stackConfig, /oauthExternalClientSecret:\s*\n\s*secure:/, "the client secret is stored encrypted");
    const { text } = await p.state();
    assert.ok(text.includes(attachmentId) && text.includes(id), "both resources are in the state");

    const destroy = await p.pulumi(["destroy", "--yes"]);
    assert.equal(p.emulator.control.connection(id), undefined);
    assert.equal(p.emulator.control.attachment(attachmentId), undefined);
    const api = p.emulator.control.requests().filter((r) => r.path.startsWith("/networking/"));
    const sent = (method: string, route: string) => api.filter((r) => r.method === method && r.route === route).length;
    assert.deepEqual([CONNECTIONS, ATTACHMENTS].flatMap((c) => [sent("POST", c), sent("DELETE", `${c}/{id}`)]), [1, 1, 1, 1], "each created and deleted once");
    assert.ok(api.every((r) => r.auth === "oauth" && r.status !== 401), JSON.stringify(api.map((r) => [r.method, r.path, r.auth, r.status])));

    const issued = p.emulator.control.issuedTokens();
    const places = [["Pulumi.dev.yaml", stackConfig], ["stack export", text], ["pulumi up output", up.stdout + up.stderr], ["pulumi destroy output", destroy.stdout + destroy.stderr]];
    for (const secret of [CLIENT.clientSecret, ...issued.external, ...issued.sts]) {
      for (const [where, body] of places) assert.ok(!body!.includes(secret), `${where} holds a secret or token`);
    }
  } finally {
    await p.dispose();
  }
});
