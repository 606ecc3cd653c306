// The emulator's identity provider (POST /_emulator/oauth2/token) and STS (POST /sts/v1/oauth2/token): form
// validation, identity pools, subject tokens, bearer tokens that expire on the emulator's clock, revocation,
// configuration at start and at run time, the request log and faults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CONNECTIONS, ENV, ManualClock, withEmulator } from "../support/emulator";

const IDP = "/_emulator/oauth2/token";
const STS = "/sts/v1/oauth2/token";
const LIST = `${CONNECTIONS}?environment=${ENV}`;
const CLIENT = { clientId: "ci-client", clientSecret: "ci-client-secret-0123456789" };

async function post(base: string, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
}

function exchangeForm(subject: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: subject,
    identity_pool_id: "pool-ci",
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    ...extra,
  };
}

const OPTIONS = { oauth: { identityPools: ["pool-ci"], clients: [CLIENT] } };

test("client credentials → an external token; the STS exchanges it for a bearer token the API accepts", async () => {
  await withEmulator(OPTIONS, async ({ emulator, api }) => {
    const idp = await post(emulator.url, IDP, { grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, scope: "api://confluent/.default" });
    assert.equal(idp.status, 200);
    assert.equal(idp.body.token_type, "Bearer");
    assert.equal(idp.body.expires_in, 3600);
    assert.equal(idp.body.access_token.split(".").length, 3, "JWT-shaped");
    const claims = JSON.parse(Buffer.from(idp.body.access_token.split(".")[1], "base64url").toString());
    assert.equal(claims.sub, CLIENT.clientId);
    assert.equal(claims.scope, "api://confluent/.default");

    const sts = await post(emulator.url, STS, exchangeForm(idp.body.access_token, { expires_in: "600" }));
    assert.equal(sts.status, 200);
    assert.deepEqual(Object.keys(sts.body).sort(), ["access_token", "expires_in", "issued_token_type", "token_type"]);
    assert.equal(sts.body.issued_token_type, "urn:ietf:params:oauth:token-type:access_token");
    assert.equal(sts.body.token_type, "Bearer");
    assert.equal(sts.body.expires_in, 600);

    assert.equal((await api.call(LIST, { auth: `Bearer ${sts.body.access_token}` })).status, 200);
    assert.equal((await api.call(LIST, { auth: `Bearer ${idp.body.access_token}` })).status, 401, "the identity provider's token is not a Confluent token");
    const log = emulator.control.requests();
    assert.deepEqual(log.map((r) => [r.method, r.route, r.status, r.auth]), [
      ["POST", IDP, 200, "none"],
      ["POST", STS, 200, "none"],
      ["GET", CONNECTIONS, 200, "oauth"],
      ["GET", CONNECTIONS, 401, "invalid"],
    ]);
    assert.ok(!JSON.stringify(log).includes(CLIENT.clientSecret), "the log holds no secret");
  });
});

test("the identity provider takes the client as HTTP Basic too, and refuses a wrong secret with invalid_client", async () => {
  await withEmulator(OPTIONS, async ({ emulator }) => {
    const basic = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64")}`;
    assert.equal((await post(emulator.url, IDP, { grant_type: "client_credentials" }, { Authorization: basic })).status, 200);
    const wrong = await post(emulator.url, IDP, { grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: "wrong" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, "invalid_client");
    assert.match(wrong.body.error_description, /wrong client secret/);
    const grant = await post(emulator.url, IDP, { grant_type: "password", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    assert.equal(grant.status, 400);
    assert.equal(grant.body.error, "unsupported_grant_type");
    const json = await fetch(emulator.url + IDP, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    assert.equal(json.status, 400);
  });
});

test("the STS validates the form, the identity pool and the subject token (Failure bodies naming the parameter)", async () => {
  await withEmulator(OPTIONS, async ({ emulator }) => {
    const idp = await post(emulator.url, IDP, { grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    const subject = idp.body.access_token as string;
    const cases: [Record<string, string>, string, string][] = [
      [exchangeForm(subject, { identity_pool_id: "pool-unknown" }), "identity_pool_id", "identity pool 'pool-unknown' was not found"],
      [exchangeForm("not-a-token"), "subject_token", "not issued by a trusted identity provider"],
      [exchangeForm(subject, { grant_type: "client_credentials" }), "grant_type", "must be urn:ietf:params:oauth:grant-type:token-exchange"],
      [exchangeForm(subject, { subject_token_type: "urn:ietf:params:oauth:token-type:id_token" }), "subject_token_type", "must be"],
      [exchangeForm(subject, { requested_token_type: "x" }), "requested_token_type", "must be"],
      [exchangeForm(subject, { expires_in: "901" }), "expires_in", "1..900"],
      [exchangeForm(subject, { expires_in: "0" }), "expires_in", "1..900"],
      [{ grant_type: "urn:ietf:params:oauth:grant-type:token-exchange" }, "subject_token", "subject_token is required"],
    ];
    for (const [form, parameter, detail] of cases) {
      const reply = await post(emulator.url, STS, form);
      assert.equal(reply.status, 400, JSON.stringify(form));
      assert.equal(reply.body.errors[0].source.parameter, parameter);
      assert.ok(reply.body.errors[0].detail.includes(detail), reply.body.errors[0].detail);
      assert.ok(reply.headers.get("x-request-id"));
    }
    assert.equal(emulator.control.oauth().stsIssued, 0);
  });
});

test("tokens expire on the emulator's clock: the API refuses an expired STS token, the STS an expired subject token", async () => {
  const clock = new ManualClock();
  await withEmulator({ ...OPTIONS, clock, oauth: { ...OPTIONS.oauth, externalTokenLifetimeSeconds: 300, stsTokenLifetimeSeconds: 120 } }, async ({ emulator, api }) => {
    const idp = await post(emulator.url, IDP, { grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    assert.equal(idp.body.expires_in, 300);
    const sts = await post(emulator.url, STS, exchangeForm(idp.body.access_token));
    assert.equal(sts.body.expires_in, 120, "capped at the configured STS lifetime");
    const auth = `Bearer ${sts.body.access_token}`;
    clock.advance(119_999);
    assert.equal((await api.call(LIST, { auth })).status, 200);
    clock.advance(1);
    const expired = await api.call(LIST, { auth });
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get("www-authenticate") ?? "", /error="invalid_token", error_description="The access token expired"/);
    assert.equal((await post(emulator.url, STS, exchangeForm(idp.body.access_token))).status, 200, "the subject token still lives");
    clock.advance(180_000);
    const late = await post(emulator.url, STS, exchangeForm(idp.body.access_token));
    assert.equal(late.status, 400);
    assert.match(late.body.errors[0].detail, /subject token is expired/);
  });
});

test("revoking: STS tokens are refused by the API, external tokens by the STS; tokens issued later work", async () => {
  await withEmulator(OPTIONS, async ({ emulator, api }) => {
    const external = (await post(emulator.url, IDP, { grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret })).body.access_token;
    const bearer = (await post(emulator.url, STS, exchangeForm(external))).body.access_token;
    assert.deepEqual(emulator.control.revokeTokens("sts"), { revoked: 1 });
    const refused = await api.call(LIST, { auth: `Bearer ${bearer}` });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get("www-authenticate") ?? "", /revoked/);
    const fresh = (await post(emulator.url, STS, exchangeForm(external))).body.access_token;
    assert.equal((await api.call(LIST, { auth: `Bearer ${fresh}` })).status, 200);
    const byHttp = await fetch(`${emulator.url}/_emulator/oauth/revoke`, { method: "POST", body: JSON.stringify({ tokens: "external" }) });
    assert.deepEqual(await byHttp.json(), { revoked: 1 });
    assert.match((await post(emulator.url, STS, exchangeForm(external))).body.errors[0].detail, /subject token is revoked/);
    assert.equal((await api.call(LIST, { auth: `Bearer ${fresh}` })).status, 200, "revoking external tokens leaves STS tokens alone");
    assert.deepEqual({ ...emulator.control.oauth(), tokenUrl: undefined }, {
      tokenUrl: undefined, identityPools: ["pool-ci"], clientIds: ["ci-client"], externalTokenLifetimeSeconds: 3600, stsTokenLifetimeSeconds: 900,
      externalIssued: 1, stsIssued: 2, externalLive: 0, stsLive: 1,
    });
  });
});

test("configuration: defaults, startEmulator options, /_emulator/config, identity pools and clients at run time, reset", async () => {
  await withEmulator({}, async ({ emulator }) => {
    assert.deepEqual(emulator.oauth.identityPools, ["pool-emu000"]);
    assert.equal(emulator.oauth.tokenUrl, `${emulator.url}${IDP}`);
    const [client] = emulator.oauth.clients;
    const form = { grant_type: "client_credentials", client_id: client!.clientId, client_secret: client!.clientSecret };
    assert.equal((await post(emulator.url, IDP, form)).status, 200);

    const info: any = await (await fetch(`${emulator.url}/_emulator/info`)).json();
    assert.equal(info.oauth.tokenUrl, emulator.oauth.tokenUrl);
    assert.ok(!JSON.stringify(info).includes(client!.clientSecret), "info names client ids only");

    const set = await fetch(`${emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ oauth: { externalTokenLifetimeSeconds: 60, stsTokenLifetimeSeconds: 30 } }) });
    assert.equal(set.status, 200);
    const bad = await fetch(`${emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ oauth: { stsTokenLifetimeSeconds: 901 } }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as any).errors[0].detail, /1\.\.900/);
    assert.equal((await post(emulator.url, IDP, form)).body.expires_in, 60);

    await fetch(`${emulator.url}/_emulator/identity-pools`, { method: "POST", body: JSON.stringify({ id: "pool-new" }) });
    await fetch(`${emulator.url}/_emulator/oauth-clients`, { method: "POST", body: JSON.stringify({ clientId: "other", clientSecret: "other-secret" }) });
    const other = await post(emulator.url, IDP, { grant_type: "client_credentials", client_id: "other", client_secret: "other-secret" });
    const exchanged = await post(emulator.url, STS, exchangeForm(other.body.access_token, { identity_pool_id: "pool-new" }));
    assert.equal(exchanged.body.expires_in, 30);

    emulator.control.reset();
    const after = emulator.control.oauth();
    assert.deepEqual([after.identityPools, after.clientIds, after.externalTokenLifetimeSeconds, after.stsTokenLifetimeSeconds, after.stsIssued], [["pool-emu000"], [client!.clientId], 3600, 900, 0]);
    assert.equal((await post(emulator.url, IDP, { grant_type: "client_credentials", client_id: "other", client_secret: "other-secret" })).status, 401);
  });
  await assert.rejects(withEmulator({ oauth: { stsTokenLifetimeSeconds: 0 } }, async () => undefined), /stsTokenLifetimeSeconds/);
});

test("faults apply to both token endpoints; neither takes from the API's rate window", async () => {
  await withEmulator({ ...OPTIONS, rateLimit: { requests: 1, windowMs: 60_000 } }, async ({ emulator, api }) => {
    emulator.control.injectFault({ method: "POST", path: IDP, status: 503 });
    emulator.control.injectFault({ method: "POST", path: STS, status: 429 });
    const form = { grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    assert.equal((await post(emulator.url, IDP, form)).status, 503);
    const external = (await post(emulator.url, IDP, form)).body.access_token;
    const throttled = await post(emulator.url, STS, exchangeForm(external));
    assert.equal(throttled.status, 429);
    assert.ok(throttled.headers.get("retry-after"));
    const bearer = (await post(emulator.url, STS, exchangeForm(external))).body.access_token;
    assert.equal((await api.call(LIST, { auth: `Bearer ${bearer}` })).status, 200, "the one request of the window is still there");
    assert.equal(emulator.control.counts().byRoute[`POST ${STS}`], 2);
    assert.equal(emulator.control.counts().byRoute[`POST ${IDP}`], 2);
  });
});
