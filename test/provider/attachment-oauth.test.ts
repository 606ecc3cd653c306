// The attachment's provider with only OAuth settings, against the emulator's identity provider and STS: create,
// read, rename and delete with `confluentcloud:oauth` and with CONFLUENT_CLOUD_OAUTH_*, STS tokens renewed during the
// create's wait (ahead of expiry, and after a revocation), and a client secret the identity provider refuses.
// Canaries: the client secret, a refused one, and every token the emulator issued are in no error, output or log line.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ScaledClock } from "../../bench/clock";
import { getPrivateLinkAttachment, listPrivateLinkAttachments } from "../../provider/attachment/lookup";
import { DEFAULT_POLL_POLICY } from "../../provider/core/poll";
import { AttachmentHarness, attachmentArgs } from "../support/attachment";
import { ENV } from "../support/emulator";
import { leakScan, tokenSecretPart } from "../support/leaks";
import { CLIENT, IDP, STS, byRoute, oauthEnv, oauthObject, withOAuth } from "../support/oauth";
import { configRequest, thrown, until, withEnv } from "../support/provider";

const REFUSED_SECRET = "rf-9Zq81xLk-wv73TnPb-0e5d";

/** Scans for the client secrets and every token this harness's emulator has issued so far. */
function scan(h: AttachmentHarness) {
  return leakScan(() => {
    const issued = h.control.issuedTokens();
    const tokens = Object.fromEntries([...issued.external, ...issued.sts].map((token, i) => [`issued token ${i}`, token]));
    return { "client secret": CLIENT.clientSecret, "refused client secret": REFUSED_SECRET, ...tokens };
  }, tokenSecretPart);
}

/** Every API request the emulator accepted carried an STS token. */
function assertApiOverOAuth(h: AttachmentHarness): void {
  const api = h.control.requests().filter((r) => r.route?.startsWith("/networking/") && r.status !== 401);
  assert.ok(api.length > 0 && api.every((r) => r.auth === "oauth"), JSON.stringify(api.map((r) => [r.method, r.route, r.auth])));
}

/** Read, rename and delete after a create, each clean of every canary, the log lines included. */
async function readRenameDelete(h: AttachmentHarness, created: Awaited<ReturnType<AttachmentHarness["create"]>>): Promise<void> {
  const { assertNoLeak, assertValueClean } = scan(h);
  const { id, outs, inputs } = created;
  assertValueClean("create outs", outs);
  const read = await h.provider.read(id, AttachmentHarness.state(outs));
  assert.equal(read.props?.phase, outs.phase);
  assertValueClean("read result", read);
  const renamed = await h.provider.update(id, AttachmentHarness.state(outs), { ...inputs, displayName: `${inputs.displayName}-renamed` });
  assert.equal(h.control.attachment(id)?.displayName, `${inputs.displayName}-renamed`);
  assertValueClean("update result", renamed);
  await h.provider.delete(id, AttachmentHarness.state(renamed.outs));
  assert.equal(h.control.attachment(id), undefined, "deleted and gone");
  assert.deepEqual([h.count("POST", "collection"), h.count("PATCH", "item"), h.count("DELETE", "item")], [1, 1, 1]);
  for (const l of h.lines) assertNoLeak(`log line (${l.level})`, l.line);
}

describe("the attachment with only OAuth settings", () => {
  test("create, read, rename and delete from confluentcloud:oauth, through a wait that outlives several STS tokens", async () => {
    // 100× faster clock for the emulator (token expiry, provisioning) and the provider (waits, renewal): a 3-minute
    // provision with 1-minute STS tokens (renewed ahead of expiry) and 2-minute identity provider tokens.
    const clock = new ScaledClock(100);
    await withOAuth(AttachmentHarness, {
      clock, attachmentTiming: { provisioningMs: 180_000 },
      oauth: { externalTokenLifetimeSeconds: 120, stsTokenLifetimeSeconds: 60 },
    }, async (h) => {
      const created = await h.create(attachmentArgs());
      assert.equal(created.outs.phase, "WAITING_FOR_CONNECTIONS");
      assert.ok(h.count("GET", "item") >= 5, "the create waited, polling");
      assert.ok(h.control.requests().every((r) => r.status !== 401), "no token was used past its life");
      assert.ok(byRoute(h, STS, 200) >= 3, `${byRoute(h, STS, 200)} STS tokens over a 3-minute wait of 1-minute tokens`);
      assert.ok(byRoute(h, IDP, 200) >= 2, "the identity provider token was renewed too");
      await readRenameDelete(h, created);
      assertApiOverOAuth(h);
    }, { clock, pollPolicy: DEFAULT_POLL_POLICY });
  });

  test("tokens revoked during the create's wait: the 401 renews both tokens once and the wait goes on", async () => {
    await withOAuth(AttachmentHarness, { attachmentTiming: { provisioningMs: 1500 } }, async (h) => {
      const creating = h.create(attachmentArgs());
      await until(() => h.count("GET", "item") > 0, "the wait to have polled");
      h.control.revokeTokens("all");
      const created = await creating;
      assert.equal(created.outs.phase, "WAITING_FOR_CONNECTIONS");
      assert.equal(h.control.requests().filter((r) => r.status === 401).length, 1, "one refused request");
      assert.deepEqual([byRoute(h, IDP, 200), byRoute(h, STS, 200), byRoute(h, STS, 400)], [2, 2, 1], "the STS refused the revoked external token; one new one");
      await readRenameDelete(h, created);
      assertApiOverOAuth(h);
    });
  });

  test("create, read, rename and delete from CONFLUENT_CLOUD_OAUTH_*, and the lookups from either", async () => {
    await withOAuth(AttachmentHarness, {}, async (h) => {
      await withEnv(oauthEnv(h.emulator), async () => {
        await h.provider.configure(configRequest({}));
        const created = await h.create(attachmentArgs());
        assert.equal((await getPrivateLinkAttachment({ id: created.id, environmentId: ENV })).id, created.id);
        await readRenameDelete(h, created);
      });
      const config = { "confluentcloud:oauth": oauthObject(h.emulator), "confluentcloud:endpoint": h.emulator.url };
      assert.ok((await listPrivateLinkAttachments({ environmentId: ENV }, { config })).length > 0);
      assertApiOverOAuth(h);
      assert.equal(byRoute(h, STS), 1, "the same settings from the variables or a config option: the process's one token source");
    });
  });

  test("a client secret the identity provider refuses: the create fails before any API request, naming the client and where it was refused", async () => {
    await withOAuth(AttachmentHarness, {}, async (h) => {
      const error = await thrown(() => h.create(attachmentArgs({ displayName: "refused" })));
      assert.equal(error.code, "OAUTH_IDENTITY_PROVIDER");
      assert.match(error.message, /^create private link attachment \("refused", AWS us-west-2 in env-emu000\): no Confluent Cloud token \(from stack config confluentcloud:oauth\): identity provider token request for client pulumi-ci at http:\/\/127\.0\.0\.1:\d+\/_emulator\/oauth2\/token failed: HTTP 401 Unauthorized: invalid_client: /);
      assert.equal(h.control.requests().filter((r) => r.route?.startsWith("/networking/")).length, 0, "no API request");
      assert.equal(byRoute(h, IDP), 1, "a 401 is not retried");
      const { assertErrorClean, assertNoLeak } = scan(h);
      assertErrorClean("refused client secret", error);
      for (const l of h.lines) assertNoLeak(`log line (${l.level})`, l.line);
    }, {}, { oauthExternalClientSecret: REFUSED_SECRET });
  });
});
