// The OAuth token source on a controlled clock with a scripted transport (renewal timing, single-flight, refusal
// and recovery), and its HTTP transport against the emulator (the two requests, retries, error text, scrubbing).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, type Emulator } from "../../emulator";
import type { OAuthSettings } from "../../provider/core/credentials/oauth-config";
import { OAuthTokenSource, renewalAt } from "../../provider/core/credentials/oauth";
import { createTokenTransport, OAuthError, type TokenReply, type TokenRequest, type TokenTransport } from "../../provider/core/transport/token-request";
import { ManualClock } from "../support/emulator";
import { thrown } from "../support/provider";

const SECRET = "client-secret-canary-9a8b7c6d";
const SETTINGS: OAuthSettings = {
  identityPoolId: "pool-unit", tokenUrl: "https://idp.example/oauth2/token", clientId: "client-unit", clientSecret: SECRET, stsExpiresInSeconds: 900,
};
const ENDPOINT = "https://api.example";

/** A transport that answers from a script and records every request; `hold()` keeps answers until `release()`. */
class ScriptedTransport {
  readonly requests: TokenRequest[] = [];
  externalLifetime: number | undefined = 3600;
  stsLifetime = 900;
  /** Next STS answers that fail (HTTP status). */
  stsFailures: number[] = [];
  private held: (() => void)[] | undefined;
  private counter = 0;

  readonly transport: TokenTransport = async (request) => {
    this.requests.push(request);
    if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
    const n = ++this.counter;
    if (request.step === "identity provider") {
      return { accessToken: `external-${n}`, ...(this.externalLifetime !== undefined ? { expiresIn: this.externalLifetime } : {}) } satisfies TokenReply;
    }
    const status = this.stsFailures.shift();
    if (status !== undefined) throw new OAuthError("STS", `Confluent STS token exchange failed: HTTP ${status}`, status);
    return { accessToken: `sts-${n}-for-${request.form.subject_token}`, expiresIn: this.stsLifetime };
  };

  hold(): void {
    this.held = [];
  }

  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const resume of waiting) resume();
  }

  steps(): string[] {
    return this.requests.map((r) => (r.step === "STS" ? "sts" : "idp"));
  }
}

function source(script: ScriptedTransport, clock: ManualClock, settings: OAuthSettings = SETTINGS): OAuthTokenSource {
  return new OAuthTokenSource(settings, ENDPOINT, { now: () => clock.now(), transport: script.transport });
}

describe("renewal timing", () => {
  test("renewalAt: a fixed margin before expiry, half-way when the token lives no longer than the margin", () => {
    assert.equal(renewalAt(0, 900_000, 60_000), 840_000);
    assert.equal(renewalAt(0, 3_600_000, 180_000), 3_420_000);
    assert.equal(renewalAt(0, 60_000, 60_000), 30_000, "exactly the margin: half-way");
    assert.equal(renewalAt(0, 100_000, 180_000), 50_000);
    assert.equal(renewalAt(1000, 2000, 60_000), 2000);
  });

  test("the STS token is renewed 1 minute before it expires, the identity provider's 3 minutes before", async () => {
    const clock = new ManualClock(0);
    const script = new ScriptedTransport();
    const tokens = source(script, clock);
    const first = await tokens.token();
    assert.deepEqual(script.steps(), ["idp", "sts"]);
    assert.equal(first.value, "sts-2-for-external-1");
    clock.ms = 840_000 - 1;
    assert.equal((await tokens.token()).value, first.value, "not due yet");
    assert.equal(script.requests.length, 2);
    clock.ms = 840_000;
    const second = await tokens.token();
    assert.deepEqual(script.steps(), ["idp", "sts", "sts"], "due: exchanged again with the cached external token");
    assert.equal(second.value, "sts-3-for-external-1");
    assert.ok(second.generation > first.generation);
    clock.ms = 3_420_000 - 1;
    await tokens.token();
    assert.deepEqual(script.steps().slice(-1), ["sts"], "the external token is still good at 3420 s - 1 ms");
    clock.ms = 3_420_000 + 840_000;
    await tokens.token();
    assert.deepEqual(script.steps().slice(-2), ["idp", "sts"], "past 3420 s a new external token comes first");
    assert.equal(script.requests.at(-1)!.form.subject_token, `external-${script.requests.length - 1}`);
  });

  test("short lifetimes: renewed half-way (STS 60 s → at 30 s; identity provider 120 s → at 60 s)", async () => {
    const clock = new ManualClock(0);
    const script = new ScriptedTransport();
    script.externalLifetime = 120;
    script.stsLifetime = 60;
    const tokens = source(script, clock);
    await tokens.token();
    clock.ms = 29_999;
    await tokens.token();
    assert.equal(script.requests.length, 2);
    clock.ms = 30_000;
    await tokens.token();
    assert.deepEqual(script.steps(), ["idp", "sts", "sts"]);
    clock.ms = 60_000;
    await tokens.token();
    assert.deepEqual(script.steps(), ["idp", "sts", "sts", "idp", "sts"]);
  });

  test("the form: expires_in as configured, the identity pool, the token types; scope only when set", async () => {
    const script = new ScriptedTransport();
    await source(script, new ManualClock(0), { ...SETTINGS, stsExpiresInSeconds: 300, scope: "api://x/.default" }).token();
    assert.deepEqual(script.requests[0]!.form, { grant_type: "client_credentials", client_id: "client-unit", client_secret: SECRET, scope: "api://x/.default" });
    assert.deepEqual(script.requests[1]!.form, {
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: "external-1", identity_pool_id: "pool-unit",
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt", requested_token_type: "urn:ietf:params:oauth:token-type:access_token", expires_in: "300",
    });
    assert.equal(script.requests[1]!.url, "https://api.example/sts/v1/oauth2/token", "the configured endpoint's STS");
    assert.equal(script.requests[0]!.url, SETTINGS.tokenUrl);
  });

  test("an identity provider token without expires_in serves one exchange", async () => {
    const clock = new ManualClock(0);
    const script = new ScriptedTransport();
    script.externalLifetime = undefined;
    const tokens = source(script, clock);
    await tokens.token();
    clock.ms = 840_000;
    await tokens.token();
    assert.deepEqual(script.steps(), ["idp", "sts", "idp", "sts"]);
  });

  test("a token obtained beforehand (oauthExternalAccessToken) is exchanged as it is and never fetched", async () => {
    const clock = new ManualClock(0);
    const script = new ScriptedTransport();
    const tokens = source(script, clock, { identityPoolId: "pool-unit", externalAccessToken: "given-token", stsExpiresInSeconds: 900 });
    await tokens.token();
    clock.ms = 100 * 3_600_000;
    await tokens.token();
    assert.deepEqual(script.steps(), ["sts", "sts"]);
    assert.ok(script.requests.every((r) => r.form.subject_token === "given-token"));
  });
});

describe("single-flight", () => {
  test("ten callers at once: one identity provider request and one exchange, the same token for all", async () => {
    const script = new ScriptedTransport();
    const tokens = source(script, new ManualClock(0));
    script.hold();
    const waiting = Array.from({ length: 10 }, () => tokens.token());
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(script.requests.length, 1, "one request while the renewal is out");
    script.release();
    await new Promise((resolve) => setImmediate(resolve));
    script.release();
    const got = await Promise.all(waiting);
    assert.deepEqual(script.steps(), ["idp", "sts"]);
    assert.equal(new Set(got.map((t) => t.value)).size, 1);
  });

  test("a caller giving up does not cancel the renewal the others wait for", async () => {
    const script = new ScriptedTransport();
    const tokens = source(script, new ManualClock(0));
    script.hold();
    const impatient = new AbortController();
    const first = tokens.token(impatient.signal);
    const second = tokens.token();
    impatient.abort(new Error("deadline of the first caller"));
    assert.match((await thrown(() => first)).message, /deadline of the first caller/);
    script.release();
    await new Promise((resolve) => setImmediate(resolve));
    script.release();
    assert.match((await second).value, /^sts-/);
    assert.deepEqual(script.steps(), ["idp", "sts"]);
  });

  test("a failed renewal fails every waiter and is not cached: the next call tries again", async () => {
    const script = new ScriptedTransport();
    script.stsFailures = [500];
    const tokens = source(script, new ManualClock(0));
    const errors = await Promise.all([thrown(() => tokens.token()), thrown(() => tokens.token())]);
    assert.ok(errors.every((e) => e instanceof OAuthError && e.step === "STS"));
    assert.equal((await tokens.token()).value, "sts-3-for-external-1");
    assert.deepEqual(script.steps(), ["idp", "sts", "sts"]);
  });
});

describe("refused tokens", () => {
  test("refused(generation) drops the current token once; a refusal of an older one changes nothing", async () => {
    const script = new ScriptedTransport();
    const tokens = source(script, new ManualClock(0));
    const first = await tokens.token();
    tokens.refused(first.generation);
    const second = await tokens.token();
    assert.notEqual(second.value, first.value);
    tokens.refused(first.generation);
    assert.equal((await tokens.token()).value, second.value);
    assert.deepEqual(script.steps(), ["idp", "sts", "sts"]);
  });

  test("the STS refusing a cached identity provider token: one new identity provider token, one more exchange", async () => {
    const clock = new ManualClock(0);
    const script = new ScriptedTransport();
    const tokens = source(script, clock);
    const first = await tokens.token();
    script.stsFailures = [400];
    tokens.refused(first.generation);
    const lines: string[] = [];
    await tokens.token(undefined, (line) => lines.push(line));
    assert.deepEqual(script.steps(), ["idp", "sts", "sts", "idp", "sts"]);
    assert.ok(lines.some((l) => /refused the cached identity provider token/.test(l)));
  });

  test("the STS refusing a fresh identity provider token, or a given one: an error, no loop", async () => {
    const script = new ScriptedTransport();
    script.stsFailures = [400];
    const fresh = await thrown(() => source(script, new ManualClock(0)).token());
    assert.ok(fresh instanceof OAuthError);
    assert.deepEqual(script.steps(), ["idp", "sts"]);
    const given = new ScriptedTransport();
    given.stsFailures = [401];
    const error = await thrown(() => source(given, new ManualClock(0), { identityPoolId: "p", externalAccessToken: "given-token", stsExpiresInSeconds: 900 }).token());
    assert.match(error.message, /oauthExternalAccessToken is never renewed by the provider: set a fresh one/);
  });

  test("secrets(): the client secret and the recent tokens, to scrub from messages", async () => {
    const script = new ScriptedTransport();
    const tokens = source(script, new ManualClock(0));
    const { value } = await tokens.token();
    assert.deepEqual(tokens.secrets().sort(), [SECRET, "external-1", value].sort());
  });
});

describe("the HTTP transport against the emulator", () => {
  const CLIENT = { clientId: "client-http", clientSecret: "client-http-secret-canary-42" };

  async function withOAuthEmulator(fn: (emulator: Emulator, settings: OAuthSettings) => Promise<void>): Promise<void> {
    const emulator = await startEmulator({ oauth: { identityPools: ["pool-http"], clients: [CLIENT] } });
    try {
      await fn(emulator, { identityPoolId: "pool-http", tokenUrl: emulator.oauth.tokenUrl, ...CLIENT, stsExpiresInSeconds: 900 });
    } finally {
      await emulator.close();
    }
  }

  const quick = (): TokenTransport => createTokenTransport({ random: () => 0, maxRetries: 2 });

  test("both requests as the real services take them; the bearer token is accepted by the API", async () => {
    await withOAuthEmulator(async (emulator, settings) => {
      const tokens = new OAuthTokenSource(settings, emulator.url, { transport: quick() });
      const { value } = await tokens.token();
      const res = await fetch(`${emulator.url}/networking/v1/private-link-attachment-connections?environment=env-emu000`, { headers: { Authorization: `Bearer ${value}` } });
      assert.equal(res.status, 200);
      assert.deepEqual(emulator.control.requests().map((r) => [r.route, r.status]), [["/_emulator/oauth2/token", 200], ["/sts/v1/oauth2/token", 200], ["/networking/v1/private-link-attachment-connections", 200]]);
    });
  });

  test("error text: the step, the URL without secrets, the HTTP status and the provider's words", async () => {
    await withOAuthEmulator(async (emulator, settings) => {
      const wrong = await thrown(() => new OAuthTokenSource({ ...settings, clientSecret: "wrong-secret-canary-1234" }, emulator.url, { transport: quick() }).token());
      assert.equal(wrong.step, "identity provider");
      assert.equal(wrong.code, "OAUTH_IDENTITY_PROVIDER");
      assert.ok(
        wrong.message.startsWith(`identity provider token request for client client-http at ${emulator.url}/_emulator/oauth2/token failed: HTTP 401 Unauthorized: invalid_client: Client authentication failed: unknown client or wrong client secret (request id `),
        wrong.message,
      );
      const pool = await thrown(() => new OAuthTokenSource({ ...settings, identityPoolId: "pool-nope" }, emulator.url, { transport: quick() }).token());
      assert.equal(pool.step, "STS");
      assert.match(pool.message, new RegExp(`^Confluent STS token exchange for identity pool pool-nope at ${emulator.url}/sts/v1/oauth2/token failed: HTTP 400 Bad Request: identity pool 'pool-nope' was not found \\(request id [0-9a-f-]{36}\\)$`));
      const query = await thrown(() => new OAuthTokenSource({ ...settings, tokenUrl: `${emulator.url}/_emulator/oauth2/token?client_secret=${CLIENT.clientSecret}`, clientSecret: "x-wrong" }, emulator.url, { transport: quick() }).token());
      assert.match(query.message, /oauth2\/token\?… failed: HTTP 401/);
      assert.ok(!query.message.includes(CLIENT.clientSecret), "the query is never shown");
    });
  });

  test("retries: 503 and 429 (Retry-After) are retried, 501 is not; a body echoing the secret is scrubbed", async () => {
    await withOAuthEmulator(async (emulator, settings) => {
      emulator.control.injectFault({ method: "POST", path: "/_emulator/oauth2/token", status: 503, count: 2 });
      emulator.control.injectFault({ method: "POST", path: "/sts/v1/oauth2/token", status: 429, headers: { "Retry-After": "0" } });
      const lines: string[] = [];
      await new OAuthTokenSource(settings, emulator.url, { transport: quick() }).token(undefined, (l) => lines.push(l));
      assert.deepEqual(emulator.control.requests().map((r) => [r.route, r.status]), [
        ["/_emulator/oauth2/token", 503], ["/_emulator/oauth2/token", 503], ["/_emulator/oauth2/token", 200], ["/sts/v1/oauth2/token", 429], ["/sts/v1/oauth2/token", 200],
      ]);
      assert.equal(lines.filter((l) => /retry \d\/2/.test(l)).length, 3, lines.join("\n"));

      emulator.control.clearRequests();
      emulator.control.injectFault({ method: "POST", path: "/_emulator/oauth2/token", status: 501 });
      const notRetried = await thrown(() => new OAuthTokenSource({ ...settings, scope: "s" }, emulator.url, { transport: quick() }).token());
      assert.match(notRetried.message, /HTTP 501 Not Implemented/);
      assert.equal(emulator.control.requests().length, 1);

      emulator.control.injectFault({ method: "POST", path: "/_emulator/oauth2/token", status: 400, count: 1, body: { error: "invalid_request", error_description: `bad secret ${CLIENT.clientSecret}` } });
      const echoed = await thrown(() => new OAuthTokenSource({ ...settings, scope: "t" }, emulator.url, { transport: quick() }).token());
      assert.match(echoed.message, /invalid_request: bad secret \[REDACTED\]/);

      emulator.control.injectFault({ method: "POST", path: "/sts/v1/oauth2/token", status: 502, count: 3, body: "<html>bad gateway</html>", contentType: "text/html" });
      const html = await thrown(() => new OAuthTokenSource({ ...settings, scope: "u" }, emulator.url, { transport: quick() }).token());
      assert.match(html.message, /HTTP 502 Bad Gateway: \(text\/html body\) \(request id [0-9a-f-]+\) after 3 attempts$/);
    });
  });

  test("nothing listening: could not connect, after the retries", async () => {
    const closed = await startEmulator();
    const url = closed.url;
    await closed.close();
    const error = await thrown(() => new OAuthTokenSource({ ...SETTINGS, tokenUrl: `${url}/_emulator/oauth2/token` }, url, { transport: quick() }).token());
    assert.match(error.message, /^identity provider token request for client client-unit at http:\/\/127\.0\.0\.1:\d+\/_emulator\/oauth2\/token failed: could not connect \(ECONNREFUSED/);
    assert.match(error.message, /after 3 attempts$/);
  });
});
