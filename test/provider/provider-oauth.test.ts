// The provider with only OAuth settings (the `confluentcloud:oauth` object as the engine hands it over), against
// the emulator's identity provider and STS: waits that outlive several STS tokens, ten creates sharing one exchange,
// a token revoked mid-wait, a 401 that persists, a wrong client secret, an unknown identity pool, the lookups, and
// the real dynamic-provider plugin reading the object from Configure like the key pair.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ScaledClock } from "../../bench/clock";
import { startEmulator, type Emulator } from "../../emulator";
import { DEFAULT_POLL_POLICY } from "../../provider/core/poll";
import { getPrivateLinkAttachmentConnection, listPrivateLinkAttachmentConnections } from "../../provider/connection/lookup";
import { CLIENT, IDP, POOL, STS, byRoute, oauthEnv, oauthObject, withOAuth } from "../support/oauth";
import { AWS_ATTACHMENT, CONNECTIONS, ENV, Harness, awsArgs, configRequest, thrown, until, vpce, withEnv, type Props } from "../support/provider";
import { fromStruct, pluginFixture, rpc, rpcSecret, startPlugin, toStruct, type Plugin } from "../support/plugin";
import { CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, type CheckResponse, type ConfigureResponse, type CreateResponse } from "@pulumi/pulumi/proto/provider_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";

describe("the provider with only OAuth settings", () => {
  test("a create whose wait outlives several STS tokens: renewed ahead of expiry, never refused", async () => {
    // 100× faster clock for the emulator (token expiry, provisioning) and the provider (waits, renewal):
    // a 5-minute provision with 2-minute STS tokens (renewed after 1 minute) and 6-minute identity provider tokens (after 3).
    const clock = new ScaledClock(100);
    await withOAuth(Harness, {
      clock, timing: { provisioningMs: 300_000 },
      oauth: { externalTokenLifetimeSeconds: 360, stsTokenLifetimeSeconds: 120 },
    }, async (h) => {
      const { outs, id } = await h.create(awsArgs());
      assert.equal(outs.phase, "READY");
      const api = h.control.requests().filter((r) => r.route?.startsWith("/networking/"));
      assert.ok(api.length >= 10, `${api.length} API requests over the wait`);
      assert.ok(api.every((r) => r.auth === "oauth" && r.status !== 401), "every API request carried a live STS token");
      const exchanges = byRoute(h, STS, 200);
      assert.ok(exchanges >= 4, `${exchanges} STS tokens over a 5-minute wait of 2-minute tokens`);
      assert.ok(byRoute(h, IDP, 200) >= 2, "the identity provider token was renewed too");
      assert.ok(byRoute(h, IDP, 200) < exchanges, "but less often: it lives longer");
      assert.ok(h.lines.some((l) => l.level === "debug" && /OAuth: Confluent token for identity pool pool-pulumi/.test(l.line)));
      await h.provider.delete(id, Harness.state(outs));
    }, { clock, pollPolicy: DEFAULT_POLL_POLICY });
  });

  test("ten creates at once: one identity provider request and one exchange", async () => {
    await withOAuth(Harness, {}, async (h) => {
      const inputs = await Promise.all(Array.from({ length: 10 }, () => h.check(awsArgs())));
      const created = await Promise.all(inputs.map((i) => h.provider.create(i)));
      assert.equal(created.length, 10);
      assert.ok(created.every((c) => (c.outs as Props).phase === "READY"));
      assert.equal(byRoute(h, IDP), 1);
      assert.equal(byRoute(h, STS), 1);
      assert.equal(h.count("POST", "collection"), 10);
    });
  });

  test("tokens revoked mid-wait: the 401 renews once (a new identity provider token too) and the wait goes on", async () => {
    await withOAuth(Harness, { timing: { provisioningMs: 1500 } }, async (h) => {
      const creating = h.create(awsArgs());
      await until(() => h.control.connections()[0] && h.count("GET", "item") >= 1, "the wait to have polled");
      h.control.revokeTokens("all");
      const { outs } = await creating;
      assert.equal(outs.phase, "READY");
      assert.equal(h.requests().filter((r) => r.status === 401).length, 1, "one refused request");
      assert.deepEqual([byRoute(h, IDP, 200), byRoute(h, STS, 200), byRoute(h, STS, 400)], [2, 2, 1], "the STS refused the revoked external token; one new one");
      assert.ok(h.lines.some((l) => /HTTP 401 with an OAuth token that was not due for renewal; renewing it and retrying once/.test(l.line)));
    });
  });

  test("only the STS token revoked: one more exchange with the cached identity provider token", async () => {
    await withOAuth(Harness, { timing: { provisioningMs: 1000 } }, async (h) => {
      const creating = h.create(awsArgs());
      await until(() => h.count("GET", "item") >= 1, "the wait to have polled");
      h.control.revokeTokens("sts");
      assert.equal((await creating).outs.phase, "READY");
      assert.deepEqual([byRoute(h, IDP), byRoute(h, STS)], [1, 2]);
    });
  });

  test("a 401 that persists after the renewal: one retry only, and the error says the renewed token was refused", async () => {
    await withOAuth(Harness, {}, async (h) => {
      const { id, outs } = await h.create(awsArgs());
      h.control.clearRequests();
      h.control.injectFault({ method: "GET", path: `${CONNECTIONS}/*`, status: 401, count: 2 });
      const error = await thrown(() => h.provider.read(id, Harness.state(outs)));
      assert.equal(error.status, 401);
      assert.match(error.message, /^read private link attachment connection \(plattc-\w+ in env-emu000\): HTTP 401 Unauthorized/);
      assert.match(error.message, /refused again with a renewed OAuth token: check the identity pool's filter and role bindings \(from stack config confluentcloud:oauth\)/);
      assert.deepEqual([h.count("GET", "item"), byRoute(h, STS), byRoute(h, IDP)], [2, 1, 0]);
    });
  });

  test("a wrong client secret: the identity provider's error, before any API request", async () => {
    await withOAuth(Harness, {}, async (h) => {
      const error = await thrown(() => h.create(awsArgs()));
      assert.equal(error.code, "OAUTH_IDENTITY_PROVIDER");
      assert.equal(error.status, undefined, "the identity provider's status is not the API's");
      assert.match(error.message, /^create private link attachment connection \(vpce-\w+ in platt-emuaws\): no Confluent Cloud token \(from stack config confluentcloud:oauth\): identity provider token request for client pulumi-ci at http:\/\/127\.0\.0\.1:\d+\/_emulator\/oauth2\/token failed: HTTP 401 Unauthorized: invalid_client: /);
      assert.ok(!error.message.includes("wrong-secret-canary"));
      assert.equal(h.requests().filter((r) => r.route?.startsWith("/networking/")).length, 0);
      assert.equal(byRoute(h, IDP), 1, "401 is not retried");
    }, {}, { oauthExternalClientSecret: "wrong-secret-canary-0000" });
  });

  test("an unknown identity pool: the STS's error naming it, before any API request; read does not take it for 'gone'", async () => {
    await withOAuth(Harness, {}, async (h) => {
      const error = await thrown(() => h.create(awsArgs()));
      assert.equal(error.code, "OAUTH_STS");
      assert.match(error.message, /Confluent STS token exchange for identity pool pool-nope at http:\/\/127\.0\.0\.1:\d+\/sts\/v1\/oauth2\/token failed: HTTP 400 Bad Request: identity pool 'pool-nope' was not found \(request id /);
      const read = await thrown(() => h.provider.read("plattc-any", { environment: { id: ENV } }));
      assert.equal(read.code, "OAUTH_STS");
      assert.equal(h.requests().filter((r) => r.route?.startsWith("/networking/")).length, 0);
    }, {}, { oauthIdentityPoolId: "pool-nope" });
  });

  test("oauthExternalAccessToken: a token obtained beforehand is exchanged, never fetched", async () => {
    const emulator = await startEmulator({ timing: { provisioningMs: 100 }, oauth: { identityPools: [POOL], clients: [CLIENT] } });
    try {
      const reply = await fetch(emulator.oauth.tokenUrl, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }).toString(),
      });
      const external = ((await reply.json()) as { access_token: string }).access_token;
      emulator.control.clearRequests();
      const h = new Harness(emulator);
      await withEnv({}, async () => {
        await h.provider.configure(configRequest({
          "confluentcloud:oauth": JSON.stringify({ oauthExternalAccessToken: external, oauthIdentityPoolId: POOL, oauthStsTokenExpiredInSeconds: "300" }),
          "confluentcloud:endpoint": emulator.url,
        }));
        assert.equal((await h.create(awsArgs())).outs.phase, "READY");
      });
      assert.deepEqual([byRoute(h, IDP), byRoute(h, STS)], [0, 1]);
    } finally {
      await emulator.close();
    }
  });

  test("the lookups take OAuth from their config option or from CONFLUENT_CLOUD_OAUTH_*", async () => {
    await withOAuth(Harness, {}, async (h) => {
      const { id } = await h.create(awsArgs());
      const config = { "confluentcloud:oauth": oauthObject(h.emulator), "confluentcloud:endpoint": h.emulator.url };
      assert.equal((await getPrivateLinkAttachmentConnection({ id, environmentId: ENV }, { config })).id, id);
      await withEnv({ ...oauthEnv(h.emulator), CONFLUENT_CLOUD_OAUTH_STS_TOKEN_EXPIRED_IN_SECONDS: "600" }, async () => {
        const all = await listPrivateLinkAttachmentConnections({ environmentId: ENV, privateLinkAttachmentId: AWS_ATTACHMENT });
        assert.deepEqual(all.map((c) => c.id), [id]);
      });
      const api = h.requests().filter((r) => r.route?.startsWith("/networking/"));
      assert.ok(api.every((r) => r.auth === "oauth"));
      assert.equal(byRoute(h, STS), 2, "the config object and the variables (another expires_in) are two token sources");
    });
  });
});

describe("the real dynamic-provider plugin reads confluentcloud:oauth from Configure like the key pair", () => {
  let emulator: Emulator;
  let plugin: Plugin;
  let providerText: string;
  let program: string;
  const TYPE = "pulumi-nodejs:dynamic/confluentcloud:PrivateLinkAttachmentConnection";
  const urn = `urn:pulumi:stack::project::${TYPE}::c`;

  pluginFixture({ timing: { provisioningMs: 200, deprovisioningMs: 100 }, oauth: { identityPools: [POOL], clients: [CLIENT] } }, (f) => ({ emulator, plugin, providerText, program } = f));

  test("the object as the engine sends it (JSON text, a secret because a key is secret): create and delete use STS tokens", async () => {
    const configure = new ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true).setArgs(toStruct({
      "confluentcloud:oauth": rpcSecret(JSON.stringify(oauthObject(emulator))),
      "confluentcloud:endpoint": emulator.url,
    }));
    await rpc<ConfigureResponse>((md, o, cb) => plugin.client.configure(configure, md, o, cb));
    const news = { environment: { id: ENV }, privateLinkAttachment: { id: AWS_ATTACHMENT }, aws: { vpcEndpointId: vpce() }, __provider: providerText };
    const checked = await rpc<CheckResponse>((md, o, cb) => plugin.client.check(new CheckRequest().setUrn(urn).setName("c").setType(TYPE).setOlds(toStruct({})).setNews(toStruct(news)), md, o, cb));
    const created = await rpc<CreateResponse>((md, o, cb) => plugin.client.create(new CreateRequest().setUrn(urn).setProperties(checked.getInputs()), md, o, cb));
    const properties = fromStruct(created.getProperties());
    assert.equal(properties.phase, "READY");
    assert.ok(!JSON.stringify(properties).includes(CLIENT.clientSecret), "no secret in the outputs");
    await rpc<Empty>((md, o, cb) => plugin.client.delete(new DeleteRequest().setId(created.getId()).setUrn(urn).setProperties(created.getProperties()), md, o, cb));
    const log = emulator.control.requests();
    assert.ok(log.filter((r) => r.route?.startsWith("/networking/")).every((r) => r.auth === "oauth"), "every API request used an STS token");
    assert.deepEqual([log.filter((r) => r.route === IDP).length, log.filter((r) => r.route === STS).length], [1, 1], "one exchange for create and delete");
    assert.ok(!plugin.stdout().includes(CLIENT.clientSecret) && !plugin.stderr().includes(CLIENT.clientSecret));
  });

  test("a wrong client secret through the plugin: the identity provider's error reaches the engine, without the secret", async () => {
    // A second plugin: the plugin configures the provider once per process, on its first resource.
    const other = await startPlugin({ cwd: program });
    try {
      const wrong = "plugin-wrong-secret-canary-0101";
      const configure = new ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true).setArgs(toStruct({
        "confluentcloud:oauth": rpcSecret(JSON.stringify(oauthObject(emulator, { oauthExternalClientSecret: wrong }))),
        "confluentcloud:endpoint": emulator.url,
      }));
      await rpc<ConfigureResponse>((md, o, cb) => other.client.configure(configure, md, o, cb));
      const news = { environment: { id: ENV }, privateLinkAttachment: { id: AWS_ATTACHMENT }, aws: { vpcEndpointId: vpce() }, __provider: providerText };
      const checked = await rpc<CheckResponse>((md, o, cb) => other.client.check(new CheckRequest().setUrn(urn).setName("c").setType(TYPE).setOlds(toStruct({})).setNews(toStruct(news)), md, o, cb));
      const error = await thrown(() => rpc<CreateResponse>((md, o, cb) => other.client.create(new CreateRequest().setUrn(urn).setProperties(checked.getInputs()), md, o, cb)));
      assert.match(error.details, /no Confluent Cloud token \(from stack config confluentcloud:oauth\): identity provider token request for client pulumi-ci at .* failed: HTTP 401 Unauthorized: invalid_client/);
      assert.ok(!error.details.includes(wrong) && !other.stdout().includes(wrong) && !other.stderr().includes(wrong));
    } finally {
      await other.stop();
    }
  });
});
