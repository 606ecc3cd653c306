// OAuth settings in resolveSettings: the `confluentcloud:oauth` object (JSON text from the engine, or an object),
// the CONFLUENT_CLOUD_OAUTH_* variables, validation, conflicts with a key pair or token in the same source, and
// where OAuth sits in the order of sources. No message ever holds a secret.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InvalidCredentialsError, MissingCredentialsError, resolveSettings } from "../../provider/core/credentials/credentials";

const SECRET = "idp-client-secret-canary-7f6e5d";
const TOKEN = "idp-static-token-canary-3c2b1a";
const OAUTH = {
  oauthExternalTokenUrl: "https://login.example.com/tenant/oauth2/v2.0/token",
  oauthExternalClientId: "client-123",
  oauthExternalClientSecret: SECRET,
  oauthExternalTokenScope: "api://confluent/.default",
  oauthIdentityPoolId: "pool-abc",
};
const ENV_OAUTH = {
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL: OAUTH.oauthExternalTokenUrl,
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID: OAUTH.oauthExternalClientId,
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET: SECRET,
  CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID: "pool-env",
};
const PAIR = { "confluentcloud:cloudApiKey": "CFGKEY", "confluentcloud:cloudApiSecret": "cfg-secret-canary" };
const ENV_PAIR = { CONFLUENT_CLOUD_API_KEY: "ENVKEY", CONFLUENT_CLOUD_API_SECRET: "env-secret-canary" };

/** The engine hands a structured config value to the provider as JSON text, behind pulumi.dynamic Config's get. */
function fromEngine(values: Record<string, unknown>): { get(key: string): string | undefined } {
  const text = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  return { get: (key) => text[key] };
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error);
    for (const secret of [SECRET, TOKEN, "cfg-secret-canary", "env-secret-canary"]) assert.ok(!e.message.includes(secret), `no secret in: ${e.message}`);
    return e;
  }
  assert.fail("expected an error");
}

describe("confluentcloud:oauth", () => {
  test("as the engine hands it (JSON text), as an object, and through a Config-like get: the same settings", () => {
    for (const config of [fromEngine({ "confluentcloud:oauth": OAUTH }), { "confluentcloud:oauth": OAUTH }, { "confluentcloud:oauth": JSON.stringify(OAUTH) }]) {
      const settings = resolveSettings(config, {});
      assert.deepEqual(settings.credentials, {
        kind: "oauth",
        oauth: { identityPoolId: "pool-abc", tokenUrl: OAUTH.oauthExternalTokenUrl, clientId: "client-123", clientSecret: SECRET, scope: OAUTH.oauthExternalTokenScope, stsExpiresInSeconds: 900 },
      });
      assert.equal(settings.source, "stack config confluentcloud:oauth");
    }
  });

  test("oauthExternalAccessToken instead of the URL and client; oauthStsTokenExpiredInSeconds as number or text", () => {
    const settings = resolveSettings({ "confluentcloud:oauth": { oauthExternalAccessToken: TOKEN, oauthIdentityPoolId: "pool-abc", oauthStsTokenExpiredInSeconds: "600" } }, {});
    assert.deepEqual(settings.credentials, { kind: "oauth", oauth: { identityPoolId: "pool-abc", externalAccessToken: TOKEN, stsExpiresInSeconds: 600 } });
    const numeric = resolveSettings(fromEngine({ "confluentcloud:oauth": { ...OAUTH, oauthStsTokenExpiredInSeconds: 300 } }), {});
    assert.equal(numeric.credentials.kind === "oauth" && numeric.credentials.oauth.stsExpiresInSeconds, 300);
  });

  test("incomplete or malformed settings: errors naming the key (and how to set it), never a value", () => {
    const cases: [unknown, RegExp][] = [
      [{ ...OAUTH, oauthIdentityPoolId: undefined }, /confluentcloud:oauth\.oauthIdentityPoolId is required/],
      [{ ...OAUTH, oauthIdentityPoolId: "  " }, /oauthIdentityPoolId is required/],
      [{ ...OAUTH, oauthExternalClientSecret: undefined }, /oauthExternalTokenUrl needs confluentcloud:oauth\.oauthExternalClientSecret/],
      [{ ...OAUTH, oauthExternalClientId: undefined }, /needs confluentcloud:oauth\.oauthExternalClientId/],
      [{ oauthIdentityPoolId: "pool-abc" }, /set confluentcloud:oauth\.oauthExternalTokenUrl with .*oauthExternalClientId and .*oauthExternalClientSecret, or confluentcloud:oauth\.oauthExternalAccessToken/],
      [{ ...OAUTH, oauthExternalAccessToken: TOKEN }, /oauthExternalTokenUrl and confluentcloud:oauth\.oauthExternalAccessToken are both set/],
      [{ ...OAUTH, oauthStsTokenExpiredInSeconds: 901 }, /oauthStsTokenExpiredInSeconds \(stack config\) must be a whole number of seconds in 1\.\.900/],
      [{ ...OAUTH, oauthStsTokenExpiredInSeconds: "15m" }, /1\.\.900/],
      [{ ...OAUTH, oauthExternalTokenUrl: "not a url" }, /oauthExternalTokenUrl \(stack config\) is not a valid URL/],
      [{ ...OAUTH, oauthExternalTokenUrl: `https://client-123:${SECRET}@login.example.com/token` }, /must not contain credentials/],
      [{ ...OAUTH, oauthExternalClientSecret: 12345 }, /oauthExternalClientSecret \(stack config\) must be a string/],
      [{ ...OAUTH, oauthIdentityPool: "pool-typo" }, /unknown key\(s\) oauthIdentityPool; its keys are oauthExternalTokenUrl, /],
      [`{"oauthExternalClientSecret": "${SECRET}"`, /confluentcloud:oauth is not an object/],
      [[OAUTH], /confluentcloud:oauth is not an object/],
    ];
    for (const [value, message] of cases) {
      const error = errorOf(() => resolveSettings({ "confluentcloud:oauth": value }, {}));
      assert.ok(error instanceof InvalidCredentialsError, error.name);
      assert.match(error.message, message);
    }
    const incomplete = errorOf(() => resolveSettings({ "confluentcloud:oauth": { ...OAUTH, oauthIdentityPoolId: undefined } }, {}));
    assert.match(incomplete.message, /pulumi config set --path 'confluentcloud:oauth\.oauthIdentityPoolId' <pool-id>/);
    assert.match(incomplete.message, /pulumi config set --path --secret 'confluentcloud:oauth\.oauthExternalClientSecret' <client-secret>/);
  });

  test("an empty object or blank values are no OAuth at all", () => {
    assert.throws(() => resolveSettings({ "confluentcloud:oauth": {} }, {}), MissingCredentialsError);
    assert.throws(() => resolveSettings({ "confluentcloud:oauth": { oauthIdentityPoolId: "" } }, {}), MissingCredentialsError);
    assert.equal(resolveSettings({ "confluentcloud:oauth": "" }, { ...ENV_PAIR }).credentials.kind, "basic");
  });
});

describe("CONFLUENT_CLOUD_OAUTH_* variables", () => {
  test("all seven, named as in the README", () => {
    const settings = resolveSettings({}, {
      ...ENV_OAUTH, CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE: "scope-a", CONFLUENT_CLOUD_OAUTH_STS_TOKEN_EXPIRED_IN_SECONDS: "120",
    });
    assert.deepEqual(settings.credentials, {
      kind: "oauth",
      oauth: { identityPoolId: "pool-env", tokenUrl: OAUTH.oauthExternalTokenUrl, clientId: "client-123", clientSecret: SECRET, scope: "scope-a", stsExpiresInSeconds: 120 },
    });
    assert.equal(settings.source, "environment CONFLUENT_CLOUD_OAUTH_*");
    const token = resolveSettings({}, { CONFLUENT_CLOUD_OAUTH_EXTERNAL_ACCESS_TOKEN: TOKEN, CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID: "pool-env" });
    assert.deepEqual(token.credentials, { kind: "oauth", oauth: { identityPoolId: "pool-env", externalAccessToken: TOKEN, stsExpiresInSeconds: 900 } });
  });

  test("incomplete: the error names the variable", () => {
    const error = errorOf(() => resolveSettings({}, { ...ENV_OAUTH, CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID: undefined }));
    assert.match(error.message, /in the environment are incomplete: CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID is required/);
  });
});

describe("OAuth among the other credentials", () => {
  test("with a key pair or a token in the same source: an error naming both", () => {
    const cases: [Record<string, unknown>, Record<string, string>, RegExp][] = [
      [{ "confluentcloud:oauth": OAUTH, ...PAIR }, {}, /conflict in the stack config: confluentcloud:oauth \(OAuth\) and confluentcloud:cloudApiKey, confluentcloud:cloudApiSecret are both set/],
      [{ "confluentcloud:oauth": OAUTH, "confluentcloud:cloudApiKey": "CFGKEY" }, {}, /confluentcloud:oauth \(OAuth\) and confluentcloud:cloudApiKey are both set/],
      [{ "confluentcloud:oauth": OAUTH, "confluentcloud:accessToken": TOKEN }, {}, /confluentcloud:oauth \(OAuth\) and confluentcloud:accessToken are both set/],
      [{}, { ...ENV_OAUTH, ...ENV_PAIR }, /conflict in the environment: CONFLUENT_CLOUD_OAUTH_\* \(OAuth\) and CONFLUENT_CLOUD_API_KEY, CONFLUENT_CLOUD_API_SECRET are both set/],
      [{}, { ...ENV_OAUTH, CONFLUENT_CLOUD_ACCESS_TOKEN: TOKEN }, /CONFLUENT_CLOUD_OAUTH_\* \(OAuth\) and CONFLUENT_CLOUD_ACCESS_TOKEN are both set/],
    ];
    for (const [config, env, message] of cases) {
      const error = errorOf(() => resolveSettings(fromEngine(config), env));
      assert.ok(error instanceof InvalidCredentialsError);
      assert.match(error.message, message);
    }
  });

  test("between sources the order stays: stack config before the environment, whatever each holds", () => {
    assert.equal(resolveSettings({ "confluentcloud:oauth": OAUTH }, { ...ENV_PAIR }).credentials.kind, "oauth");
    assert.equal(resolveSettings({ ...PAIR }, { ...ENV_OAUTH }).credentials.kind, "basic");
    assert.equal(resolveSettings({ "confluentcloud:accessToken": TOKEN }, { ...ENV_OAUTH }).credentials.kind, "bearer");
    assert.equal(resolveSettings({}, { ...ENV_OAUTH }).credentials.kind, "oauth");
    // A pair and a token in one source keep their old precedence (the pair).
    assert.equal(resolveSettings({ ...PAIR, "confluentcloud:accessToken": TOKEN }, {}).credentials.kind, "basic");
  });

  test("missing credentials: the how-to names the OAuth way too", () => {
    const error = errorOf(() => resolveSettings({}, {}));
    assert.match(error.message, /pulumi config set --path 'confluentcloud:oauth\.oauthIdentityPoolId'/);
    assert.match(error.message, /CONFLUENT_CLOUD_OAUTH_\*/);
  });
});
