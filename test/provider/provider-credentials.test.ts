// Credentials as the engine hands them over (configure) or the environment provides them: missing ones fail
// before any request, a bearer token works, a wrong secret fails with the API's words and never echoes it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Harness, assertApiErrorNames, awsArgs, configRequest, thrown, withEnv, withHarness } from "../support/provider";

describe("credentials", () => {
  test("missing: a clear error naming the config keys and the env vars, and no request reaches the API", async () => {
    await withHarness({}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      await withEnv({ CONFLUENT_CLOUD_ENDPOINT: h.emulator.url }, async () => {
        await h.provider.configure(configRequest({ "confluentcloud:endpoint": h.emulator.url }));
        const inputs = await h.check(awsArgs());
        for (const [what, call] of [
          ["create", () => h.provider.create(inputs)],
          ["read", () => h.provider.read(id, Harness.state(outs))],
          ["update", () => h.provider.update(id, Harness.state(outs), { ...inputs, displayName: "other" })],
          ["delete", () => h.provider.delete(id, Harness.state(outs))],
        ] as const) {
          const error = await thrown(call);
          for (const name of ["confluentcloud:cloudApiKey", "confluentcloud:cloudApiSecret", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET"]) {
            assert.ok(error.message.includes(name), `${what}: ${name} in ${error.message}`);
          }
          assert.match(error.message, /credentials are missing/);
        }
      });
      assert.equal(h.control.requests().length, 0, "no request reached the emulator");
      assert.equal(h.control.connections().length, 1);
    });
  });

  test("check and diff need no credentials (preview without secrets)", async () => {
    await withHarness({}, async (h) => {
      const { id, outs, inputs } = await h.create(awsArgs());
      await withEnv({}, async () => {
        await h.provider.configure(configRequest({}));
        const checked = await h.provider.check({}, { ...awsArgs(), __provider: "x" });
        assert.deepEqual(checked.failures, []);
        assert.equal((await h.provider.diff(id, Harness.state(outs), inputs)).changes, false);
      });
    });
  });

  test("from the environment when the stack config has none", async () => {
    await withHarness({}, async (h) => {
      await withEnv({
        CONFLUENT_CLOUD_API_KEY: h.emulator.credentials.apiKey,
        CONFLUENT_CLOUD_API_SECRET: h.emulator.credentials.apiSecret,
        CONFLUENT_CLOUD_ENDPOINT: h.emulator.url,
      }, async () => {
        await h.provider.configure(configRequest({}));
        const { outs } = await h.create(awsArgs());
        assert.equal(outs.phase, "READY");
      });
      assert.ok(h.control.requests().every((r) => r.auth === "basic"));
    });
  });

  test("stack config beats the environment", async () => {
    await withHarness({}, async (h) => {
      await withEnv({ CONFLUENT_CLOUD_API_KEY: "ENVKEY", CONFLUENT_CLOUD_API_SECRET: "wrong-env-secret", CONFLUENT_CLOUD_ENDPOINT: "http://127.0.0.1:9" }, async () => {
        await h.configure();
        const { outs } = await h.create(awsArgs());
        assert.equal(outs.phase, "READY");
      });
      assert.ok(h.control.requests().every((r) => r.auth === "basic"));
    });
  });

  test("a bearer token from confluentcloud:accessToken works", async () => {
    await withHarness({}, async (h) => {
      await withEnv({}, async () => {
        await h.provider.configure(configRequest({ "confluentcloud:accessToken": h.emulator.accessTokens[0], "confluentcloud:endpoint": h.emulator.url }));
        const { id, outs } = await h.create(awsArgs());
        assert.equal(outs.phase, "READY");
        await h.provider.delete(id, Harness.state(outs));
      });
      const log = h.control.requests();
      assert.ok(log.length >= 3);
      assert.ok(log.every((r) => r.auth === "bearer"), "every request used the bearer token");
    });
  });

  test("wrong secret: an ApiError with operation, HTTP 401, detail and request id — never the secret", async () => {
    const secret = "this-is-the-wrong-secret-0123456789";
    await withHarness({}, async (h) => {
      await h.configure({ "confluentcloud:cloudApiSecret": secret });
      const error = await thrown(() => h.create(awsArgs()));
      const [only, ...more] = h.control.requests();
      assert.equal(more.length, 0, "401 is not retried");
      assert.equal(only!.status, 401);
      assert.equal(only!.auth, "invalid");
      assertApiErrorNames(error, {
        operation: "create private link attachment connection", status: 401,
        detail: "Valid authentication credentials must be provided", requestId: only!.requestId,
      });
      assert.match(error.message, /check the Confluent Cloud credentials \(from stack config/);
      const basic = Buffer.from(`${h.emulator.credentials.apiKey}:${secret}`).toString("base64");
      for (const rendering of [error.message, String(error.stack), inspect(error, { depth: 10 }), JSON.stringify(error)]) {
        assert.ok(!rendering.includes(secret), "the secret never appears");
        assert.ok(!rendering.includes(basic), "nor the Authorization value");
      }
      assert.equal(h.control.connections().length, 0);
    });
  });
});
