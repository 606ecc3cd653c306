// The lookups in a Pulumi program on the user's path: the credentials are only in the stack config (the secret ones
// set with --secret), none in the environment. The lookups read them as the resource does; none of them reaches the
// state, the outputs or what the CLI prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Emulator } from "../../emulator";
import { AWS_ATTACHMENT, ENV, vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";
import type { CommandResult } from "../../scripts/pulumi-cli";

const CANARY = { apiKey: "LOOKUPCANARYKEY9", apiSecret: "lookup-canary-secret-3e7a11ce" };
const CLIENT = { clientId: "lookup-client", clientSecret: "lookup-oauth-s3cr3t-91d0f00d-Qz" };
const POOL = "pool-lookups";

function seed(emulator: Emulator, displayName: string): { id: string; vpcEndpointId: string } {
  const vpcEndpointId = vpce();
  const view = emulator.control.seedConnection({
    spec: {
      display_name: displayName,
      cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpcEndpointId },
      environment: { id: ENV },
      private_link_attachment: { id: AWS_ATTACHMENT },
    },
    status: { phase: "READY" },
  });
  return { id: view.id, vpcEndpointId };
}

/** `pulumi up` of the lookups fixture; its outputs must be the seeded connection's. */
async function upAndCheck(p: EngineProject, seeded: { id: string; vpcEndpointId: string }, displayName: string): Promise<CommandResult> {
  const up = await p.pulumi(["up", "--yes"]);
  const outputs = await p.outputs();
  assert.deepEqual(outputs.byId, { id: seeded.id, displayName, phase: "READY", aws: { vpcEndpointId: seeded.vpcEndpointId } });
  assert.deepEqual(outputs.listed, [seeded.id]);
  assert.equal(outputs.byName, seeded.id);
  assert.doesNotMatch(up.stdout + up.stderr, /is a secret/, "reading the stack config prints no secret warning");
  return up;
}

/** No secret in `pulumi stack export`, the stack outputs (shown with --show-secrets) or what the CLI printed. */
async function assertNoLeak(p: EngineProject, secrets: string[], printed: CommandResult[]): Promise<void> {
  const { text } = await p.state();
  const outputs = (await p.pulumi(["stack", "output", "--json", "--show-secrets"])).stdout;
  const places: Array<[string, string]> = [["stack export", text], ["stack outputs", outputs], ...printed.map((r, i): [string, string] => [`CLI output ${i + 1}`, r.stdout + r.stderr])];
  for (const secret of secrets) {
    for (const [where, body] of places) assert.ok(!body.includes(secret), `${where} holds a secret`);
  }
}

test("lookups in a program read the stack's confluentcloud:cloudApiKey/cloudApiSecret (--secret), none in the environment", async () => {
  const p = await EngineProject.start("lookups", { emulator: { credentials: CANARY }, credentials: "config", config: { displayName: "looked-up" } });
  try {
    const seeded = seed(p.emulator, "looked-up");
    await p.config("connectionId", seeded.id);
    const up = await upAndCheck(p, seeded, "looked-up");
    const api = p.emulator.control.requests().filter((r) => r.path.startsWith("/networking/"));
    assert.ok(api.length >= 3 && api.every((r) => r.auth === "basic" && r.status === 200), JSON.stringify(api.map((r) => [r.auth, r.status])));
    const preview = await p.pulumi(["preview"]);
    await assertNoLeak(p, [CANARY.apiKey, CANARY.apiSecret, Buffer.from(`${CANARY.apiKey}:${CANARY.apiSecret}`).toString("base64")], [up, preview]);
  } finally {
    await p.dispose();
  }
});

test("lookups in a program read the stack's confluentcloud:oauth object (set with --path, the client secret with --secret)", async () => {
  const p = await EngineProject.start("lookups", {
    credentials: "none",
    emulator: { oauth: { identityPools: [POOL], clients: [CLIENT] } },
    config: { displayName: "oauth-looked-up" },
  });
  try {
    await p.useOAuth(CLIENT, POOL);
    const seeded = seed(p.emulator, "oauth-looked-up");
    await p.config("connectionId", seeded.id);
    const up = await upAndCheck(p, seeded, "oauth-looked-up");
    const api = p.emulator.control.requests().filter((r) => r.path.startsWith("/networking/"));
    assert.ok(api.length >= 3 && api.every((r) => r.auth === "oauth" && r.status === 200), JSON.stringify(api.map((r) => [r.auth, r.status])));
    const issued = p.emulator.control.issuedTokens();
    assert.ok(issued.sts.length > 0, "the lookups exchanged a token");
    await assertNoLeak(p, [CLIENT.clientSecret, ...issued.external, ...issued.sts], [up]);
  } finally {
    await p.dispose();
  }
});
