// OAuth on the user's path: only `confluentcloud:oauth` in the stack config (set with `pulumi config set --path`,
// the client secret with --secret), and a create whose wait outlives several STS tokens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

const CLIENT = { clientId: "engine-client", clientSecret: "engine-oauth-s3cr3t-7c6b5a4f3e2d-Xy" };
const POOL = "pool-engine";

test("pulumi up with only confluentcloud:oauth in the stack config, through a wait longer than three STS tokens", async () => {
  const p = await EngineProject.start("one-connection", {
    credentials: "none",
    emulator: {
      oauth: { identityPools: [POOL], clients: [CLIENT], stsTokenLifetimeSeconds: 2, externalTokenLifetimeSeconds: 5 },
      timing: { provisioningMs: 7000, deprovisioningMs: 300 },
    },
    config: { vpcEndpointId: vpce() },
  });
  try {
    const oauth = (key: string, value: string, secret = false) => p.project.setConfig(`confluentcloud:oauth.${key}`, value, { path: true, secret });
    await p.project.setConfig("confluentcloud:endpoint", p.emulator.url);
    await oauth("oauthExternalTokenUrl", p.emulator.oauth.tokenUrl);
    await oauth("oauthExternalClientId", CLIENT.clientId);
    await oauth("oauthExternalClientSecret", CLIENT.clientSecret, true);
    await oauth("oauthIdentityPoolId", POOL);

    const up = await p.pulumi(["up", "--yes"]);
    const id = String((await p.outputs()).id);
    assert.equal(p.emulator.control.connection(id)?.phase, "READY");
    const log = p.emulator.control.requests();
    const api = log.filter((r) => r.path.startsWith("/networking/"));
    assert.ok(api.length > 0 && api.every((r) => r.auth === "oauth"), JSON.stringify(api.map((r) => r.auth)));
    assert.ok(api.every((r) => r.status !== 401), "no token was used past its life");
    const exchanges = log.filter((r) => r.method === "POST" && r.path === "/sts/v1/oauth2/token").length;
    assert.ok(exchanges >= 3, `${exchanges} STS exchanges during a 7 s wait on 2 s tokens`);

    const stackConfig = readFileSync(path.join(p.project.dir, "Pulumi.dev.yaml"), "utf8");
    assert.match(stackConfig, /oauthExternalClientSecret:\s*\n\s*secure:/, "the client secret is stored encrypted");
    const { text } = await p.state();
    const issued = p.emulator.control.issuedTokens();
    for (const secret of [CLIENT.clientSecret, ...issued.external, ...issued.sts]) {
      for (const [where, body] of [["Pulumi.dev.yaml", stackConfig], ["stack export", text], ["pulumi up output", up.stdout + up.stderr]]) {
        assert.ok(!body!.includes(secret), `${where} holds a secret or token`);
      }
    }
  } finally {
    await p.dispose();
  }
});
