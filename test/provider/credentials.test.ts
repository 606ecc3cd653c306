import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_ENDPOINT, MissingCredentialsError, resolveSettings } from "../../provider/core/credentials/credentials";

const CONFIG_PAIR = { "confluentcloud:cloudApiKey": "CFGKEY", "confluentcloud:cloudApiSecret": "CFGSECRET-canary-1" };
const ENV_PAIR = { CONFLUENT_CLOUD_API_KEY: "ENVKEY", CONFLUENT_CLOUD_API_SECRET: "ENVSECRET-canary-2" };

/** Same shape as pulumi.dynamic.Config (what `configure` receives). */
function pulumiConfig(values: Record<string, string>): { get(key: string): string | undefined } {
  return { get: (key) => values[key] };
}

describe("resolveSettings: precedence", () => {
  test("config key+secret beat everything", () => {
    const config = { ...CONFIG_PAIR, "confluentcloud:accessToken": "CFGTOKEN" };
    const env = { ...ENV_PAIR, CONFLUENT_CLOUD_ACCESS_TOKEN: "ENVTOKEN" };
    for (const source of [config, pulumiConfig(config)]) {
      const settings = resolveSettings(source, env);
      assert.deepEqual(settings.credentials, { kind: "basic", apiKey: "CFGKEY", apiSecret: "CFGSECRET-canary-1" });
      assert.match(settings.source ?? "", /stack config confluentcloud:cloudApiKey/);
    }
  });

  test("then a config token, even when the environment has a pair", () => {
    const settings = resolveSettings({ "confluentcloud:accessToken": "CFGTOKEN" }, { ...ENV_PAIR });
    assert.deepEqual(settings.credentials, { kind: "bearer", token: "CFGTOKEN" });
  });

  test("then the environment pair, before the environment token", () => {
    const settings = resolveSettings({}, { ...ENV_PAIR, CONFLUENT_CLOUD_ACCESS_TOKEN: "ENVTOKEN" });
    assert.deepEqual(settings.credentials, { kind: "basic", apiKey: "ENVKEY", apiSecret: "ENVSECRET-canary-2" });
    assert.match(settings.source ?? "", /environment CONFLUENT_CLOUD_API_KEY/);
  });

  test("then the environment token", () => {
    const settings = resolveSettings(undefined, { CONFLUENT_CLOUD_ACCESS_TOKEN: "ENVTOKEN" });
    assert.deepEqual(settings.credentials, { kind: "bearer", token: "ENVTOKEN" });
  });

  test("only the namespaced config keys count", () => {
    assert.throws(() => resolveSettings({ cloudApiKey: "k", cloudApiSecret: "s", accessToken: "t" }, {}), MissingCredentialsError);
  });

  test("empty and blank values are unset; values are trimmed", () => {
    const settings = resolveSettings(
      { "confluentcloud:cloudApiKey": "", "confluentcloud:cloudApiSecret": "   " },
      { CONFLUENT_CLOUD_API_KEY: " ENVKEY\n", CONFLUENT_CLOUD_API_SECRET: "ENVSECRET\n" },
    );
    assert.deepEqual(settings.credentials, { kind: "basic", apiKey: "ENVKEY", apiSecret: "ENVSECRET" });
  });
});

describe("resolveSettings: errors", () => {
  test("missing credentials name both ways to set them", () => {
    const error = captureError(() => resolveSettings({}, {}));
    assert.ok(error instanceof MissingCredentialsError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "MissingCredentialsError");
    for (const needle of [
      "pulumi config set --secret confluentcloud:cloudApiSecret",
      "confluentcloud:cloudApiKey",
      "confluentcloud:accessToken",
      "CONFLUENT_CLOUD_API_KEY",
      "CONFLUENT_CLOUD_API_SECRET",
      "CONFLUENT_CLOUD_ACCESS_TOKEN",
    ]) {
      assert.ok(error.message.includes(needle), `message names ${needle}: ${error.message}`);
    }
  });

  test("a config key without its secret is an error naming the missing secret, not a fall-through to env", () => {
    const error = captureError(() => resolveSettings({ "confluentcloud:cloudApiKey": "CFGKEY" }, { ...ENV_PAIR }));
    assert.ok(error instanceof MissingCredentialsError);
    assert.match(error.message, /confluentcloud:cloudApiKey is set in the stack config but confluentcloud:cloudApiSecret is not/);
    assert.ok(!error.message.includes("ENVSECRET-canary-2"));
  });

  test("a config secret without its key names the missing key and never shows the secret", () => {
    const error = captureError(() => resolveSettings({ "confluentcloud:cloudApiSecret": "CFGSECRET-canary-1" }, {}));
    assert.match(error.message, /confluentcloud:cloudApiSecret is set in the stack config but confluentcloud:cloudApiKey is not/);
    assert.ok(!error.message.includes("CFGSECRET-canary-1"));
    assert.ok(!JSON.stringify(error).includes("CFGSECRET-canary-1"));
  });

  test("half an environment pair is an error too", () => {
    const error = captureError(() => resolveSettings({}, { CONFLUENT_CLOUD_API_SECRET: "ENVSECRET-canary-2" }));
    assert.match(error.message, /CONFLUENT_CLOUD_API_SECRET is set in the environment but CONFLUENT_CLOUD_API_KEY is not/);
    assert.ok(!error.message.includes("ENVSECRET-canary-2"));
  });

  test("a complete earlier source wins over a half-set later one", () => {
    const settings = resolveSettings({ ...CONFIG_PAIR }, { CONFLUENT_CLOUD_API_KEY: "half" });
    assert.equal(settings.credentials.kind, "basic");
  });
});

describe("resolveSettings: endpoint", () => {
  test("defaults to https://api.confluent.cloud", () => {
    assert.equal(resolveSettings(CONFIG_PAIR, {}).endpoint, DEFAULT_ENDPOINT);
    assert.equal(DEFAULT_ENDPOINT, "https://api.confluent.cloud");
  });

  test("config beats env; trailing slashes are dropped; a path prefix is kept", () => {
    const env = { CONFLUENT_CLOUD_ENDPOINT: "http://127.0.0.1:9/env/" };
    assert.equal(resolveSettings({ ...CONFIG_PAIR, "confluentcloud:endpoint": "http://localhost:8080/" }, env).endpoint, "http://localhost:8080");
    assert.equal(resolveSettings(CONFIG_PAIR, env).endpoint, "http://127.0.0.1:9/env");
  });

  test("the endpoint source is independent of the credential source", () => {
    const settings = resolveSettings({ "confluentcloud:endpoint": "https://example.test" }, { ...ENV_PAIR });
    assert.equal(settings.endpoint, "https://example.test");
    assert.equal(settings.credentials.kind, "basic");
  });

  test("invalid endpoints are rejected; embedded credentials are not echoed", () => {
    assert.throws(() => resolveSettings({ ...CONFIG_PAIR, "confluentcloud:endpoint": "not a url" }, {}), /confluentcloud:endpoint is not a valid URL/);
    assert.throws(() => resolveSettings({ ...CONFIG_PAIR, "confluentcloud:endpoint": "ftp://x" }, {}), /http\(s\)/);
    const error = captureError(() => resolveSettings(CONFIG_PAIR, { CONFLUENT_CLOUD_ENDPOINT: "https://u:PW-canary@host" }));
    assert.match(error.message, /must not contain credentials/);
    assert.ok(!error.message.includes("PW-canary"));
  });
});

describe("resolveSettings: environment read at call time", () => {
  test("defaults to process.env as it is when called (never captured at module load)", () => {
    const saved = { ...process.env };
    try {
      delete process.env.CONFLUENT_CLOUD_API_KEY;
      delete process.env.CONFLUENT_CLOUD_API_SECRET;
      delete process.env.CONFLUENT_CLOUD_ACCESS_TOKEN;
      assert.throws(() => resolveSettings(), MissingCredentialsError);
      process.env.CONFLUENT_CLOUD_ACCESS_TOKEN = "LATE-TOKEN";
      assert.deepEqual(resolveSettings().credentials, { kind: "bearer", token: "LATE-TOKEN" });
      process.env.CONFLUENT_CLOUD_ACCESS_TOKEN = "LATER-TOKEN";
      assert.deepEqual(resolveSettings({}).credentials, { kind: "bearer", token: "LATER-TOKEN" });
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail("expected an error");
}
