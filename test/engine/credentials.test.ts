// Credentials on the user's path: stack config secrets (`pulumi config set --secret`) or CONFLUENT_CLOUD_*
// variables. The plain `pulumi stack export` never holds them in plain text: config secrets handed to the
// provider stay ciphertext in the stack's config, as with any provider, and nothing of them reaches state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

const canary = { apiKey: "ENGINECANARYKEY7", apiSecret: "engine-canary-secret-5d1c0ffee" };
const forms = [canary.apiKey, canary.apiSecret, Buffer.from(`${canary.apiKey}:${canary.apiSecret}`).toString("base64")];

for (const credentials of ["config", "env"] as const) {
  test(`credentials from ${credentials === "config" ? "stack config secrets" : "environment variables"}: up works, neither the state nor the output holds them`, async () => {
    const p = await EngineProject.start("one-connection", { emulator: { credentials: canary }, credentials, config: { vpcEndpointId: vpce() } });
    try {
      const up = await p.pulumi(["up", "--yes"]);
      const id = String((await p.outputs()).id);
      assert.equal(p.emulator.control.connection(id)?.phase, "READY");
      assert.ok(p.emulator.control.requests().every((r) => r.auth === "basic"));
      const { text } = await p.state();
      const stackConfig = readFileSync(path.join(p.project.dir, "Pulumi.dev.yaml"), "utf8");
      if (credentials === "config") assert.match(stackConfig, /cloudApiSecret:\s*\n\s*secure:/, "the secret is stored encrypted");
      for (const secret of forms) {
        assert.ok(!text.includes(secret), `stack export contains ${secret}`);
        assert.ok(!stackConfig.includes(secret), `Pulumi.dev.yaml contains ${secret}`);
        assert.ok(!(up.stdout + up.stderr).includes(secret), `pulumi up printed ${secret}`);
      }
    } finally {
      await p.dispose();
    }
  });
}
