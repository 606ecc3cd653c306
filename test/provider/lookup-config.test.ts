// Where the lookups find their credentials: in a program the stack's confluentcloud:* config first, then the
// environment (the resource's order); an explicit `config` option instead of the stack config; outside a program
// (no stack config) the environment. The program's stack config is set as the language host sets it.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../../emulator";
import { getPrivateLinkAttachmentConnection, listPrivateLinkAttachmentConnections } from "../../provider/connection/lookup";
import { AWS_ATTACHMENT, ENV, thrown, vpce, withEnv } from "../support/provider";

const WRONG = { apiKey: "WRONGKEY00000000", apiSecret: "wrong-secret" };

async function withSeeded(fn: (emulator: Emulator, id: string) => Promise<void>): Promise<void> {
  const emulator = await startEmulator({ timing: { provisioningMs: 0, deprovisioningMs: 0 } });
  try {
    const view = emulator.control.seedConnection({
      spec: { cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpce() }, environment: { id: ENV }, private_link_attachment: { id: AWS_ATTACHMENT } },
      status: { phase: "READY" },
    });
    await fn(emulator, view.id);
  } finally {
    await emulator.close();
  }
}

/** The stack config of a program, the secret keys listed as the language host lists them. */
function stackConfig(values: Record<string, string>, secretKeys: string[] = []): void {
  pulumi.runtime.setAllConfig(values, secretKeys);
}

function keyPair(emulator: Emulator, pair = emulator.credentials): Record<string, string> {
  return { "confluentcloud:endpoint": emulator.url, "confluentcloud:cloudApiKey": pair.apiKey, "confluentcloud:cloudApiSecret": pair.apiSecret };
}

afterEach(() => stackConfig({}));

test("in a program: the stack config's key pair (secret) wins over another pair in the environment", async () => {
  await withSeeded(async (emulator, id) => {
    stackConfig(keyPair(emulator), ["confluentcloud:cloudApiSecret"]);
    await withEnv({ CONFLUENT_CLOUD_ENDPOINT: "http://127.0.0.1:9", CONFLUENT_CLOUD_API_KEY: WRONG.apiKey, CONFLUENT_CLOUD_API_SECRET: WRONG.apiSecret }, async () => {
      const found = await getPrivateLinkAttachmentConnection({ id, environmentId: ENV }, { timeoutMs: 20_000 });
      assert.equal(found.id, id);
    });
    assert.ok(emulator.control.requests().every((r) => r.auth === "basic" && r.status === 200));
  });
});

test("in a program: the stack config's confluentcloud:oauth object (JSON text, as the language host hands it over)", async () => {
  const client = { clientId: "cfg-client", clientSecret: "cfg-client-secret" };
  const emulator = await startEmulator({ oauth: { identityPools: ["pool-cfg"], clients: [client] } });
  try {
    const oauth = { oauthExternalTokenUrl: emulator.oauth.tokenUrl, oauthExternalClientId: client.clientId, oauthExternalClientSecret: client.clientSecret, oauthIdentityPoolId: "pool-cfg" };
    stackConfig({ "confluentcloud:endpoint": emulator.url, "confluentcloud:oauth": JSON.stringify(oauth) }, ["confluentcloud:oauth"]);
    await withEnv({}, async () => {
      assert.deepEqual(await listPrivateLinkAttachmentConnections({ environmentId: ENV }, { timeoutMs: 20_000 }), []);
    });
    const api = emulator.control.requests().filter((r) => r.path.startsWith("/networking/"));
    assert.ok(api.length === 1 && api[0]!.auth === "oauth" && api[0]!.status === 200, JSON.stringify(api));
  } finally {
    await emulator.close();
  }
});

test("in a program: the endpoint from the stack config, the credentials from the environment", async () => {
  await withSeeded(async (emulator, id) => {
    stackConfig({ "confluentcloud:endpoint": emulator.url });
    await withEnv({ CONFLUENT_CLOUD_ENDPOINT: "http://127.0.0.1:9", CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret }, async () => {
      assert.equal((await getPrivateLinkAttachmentConnection({ id, environmentId: ENV }, { timeoutMs: 20_000 })).id, id);
    });
  });
});

test("an explicit config option is used instead of the stack config", async () => {
  await withSeeded(async (emulator, id) => {
    stackConfig(keyPair(emulator, WRONG), ["confluentcloud:cloudApiSecret"]);
    await withEnv({}, async () => {
      const found = await getPrivateLinkAttachmentConnection({ id, environmentId: ENV }, { config: keyPair(emulator), timeoutMs: 20_000 });
      assert.equal(found.id, id);
    });
    assert.ok(emulator.control.requests().every((r) => r.status === 200));
  });
});

test("outside a program (no stack config): the environment, and without it an error naming every way to set them", async () => {
  await withSeeded(async (emulator, id) => {
    await withEnv({ CONFLUENT_CLOUD_ENDPOINT: emulator.url, CONFLUENT_CLOUD_API_KEY: emulator.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: emulator.credentials.apiSecret }, async () => {
      assert.equal((await getPrivateLinkAttachmentConnection({ id, environmentId: ENV }, { timeoutMs: 20_000 })).id, id);
    });
    await withEnv({}, async () => {
      const error = await thrown(() => getPrivateLinkAttachmentConnection({ id, environmentId: ENV }, { timeoutMs: 20_000 }));
      assert.equal(error.name, "MissingCredentialsError");
      assert.match(error.message, /confluentcloud:cloudApiKey[\s\S]*CONFLUENT_CLOUD_API_KEY/);
    });
  });
});
