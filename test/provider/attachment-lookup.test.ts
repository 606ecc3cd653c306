// The attachment's lookups (attachment/lookup.ts and the package's exports) against the emulator: by id in both
// forms, every attachment of an environment across pages, credentials from the given config or the environment,
// and an id that does not exist (404, or a 403 the list confirms).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { getPrivateLinkAttachment, listPrivateLinkAttachments } from "../../provider/index";
import { ENV, thrown, withEnv } from "../support/provider";

async function withEmulatorFor<T>(options: EmulatorOptions, fn: (e: Emulator, config: Record<string, string>) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await fn(emulator, {
      "confluentcloud:cloudApiKey": emulator.credentials.apiKey,
      "confluentcloud:cloudApiSecret": emulator.credentials.apiSecret,
      "confluentcloud:endpoint": emulator.url,
    });
  } finally {
    await emulator.close();
  }
}

test("get by id (environment: { id } or environmentId) and list every page, with the given config", async () => {
  await withEmulatorFor({}, async (e, config) => {
    for (let i = 0; i < 120; i++) e.control.addAttachment({ id: `platt-many${i}`, environmentId: ENV, cloud: "GCP", region: "us-central1", displayName: `many-${i}` });
    const one = await getPrivateLinkAttachment({ id: "platt-emuaws", environment: { id: ENV } }, { config });
    assert.equal(one.id, "platt-emuaws");
    assert.equal(one.cloud, "AWS");
    assert.ok(one.aws?.vpcEndpointServiceName);
    assert.deepEqual(await getPrivateLinkAttachment({ id: "platt-emuaws", environmentId: ENV }, { config }), one);
    const all = await listPrivateLinkAttachments({ environmentId: ENV }, { config });
    assert.equal(all.length, 123, "the seeded three and 120 more, over two pages");
    assert.ok(e.control.requests().filter((r) => r.method === "GET" && r.path === "/networking/v1/private-link-attachments").length >= 2);
  });
});

test("outside a program the credentials come from the environment", async () => {
  await withEmulatorFor({}, async (e) => {
    await withEnv({ CONFLUENT_CLOUD_ENDPOINT: e.url, CONFLUENT_CLOUD_API_KEY: e.credentials.apiKey, CONFLUENT_CLOUD_API_SECRET: e.credentials.apiSecret }, async () => {
      assert.equal((await getPrivateLinkAttachment({ id: "platt-emugcp", environment: { id: ENV } })).cloud, "GCP");
    });
  });
});

for (const goneAs403 of [false, true]) {
  test(`an attachment that does not exist is an error naming it, the status and the request id [gone = ${goneAs403 ? 403 : 404}]`, async () => {
    await withEmulatorFor({ goneAs403 }, async (_e, config) => {
      const error = await thrown(() => getPrivateLinkAttachment({ id: "platt-missing", environment: { id: ENV } }, { config }));
      assert.equal(error.status, goneAs403 ? 403 : 404);
      assert.match(error.message, /^read private link attachment \(platt-missing in env-emu000\): HTTP 40[34] .*\(request id [\w-]+\)/);
      if (goneAs403) assert.match(error.message, /platt-missing is not among the private link attachments of env-emu000: it does not exist/);
    });
  });
}
