// Test control of attachments (in-process and under /_emulator/attachments), and what the attachment paths share
// with the connection paths: faults, late requests, the rate window, the request log and OAuth.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ControlError } from "../../emulator/control";
import type { AttachmentView } from "../../emulator";
import { assertMatchesSchema } from "../support/openapi";
import { AWS_ATTACHMENT, awsBody, CONNECTIONS, ENV, ManualClock, vpce, withEmulator } from "../support/emulator";
import { ATTACHMENTS, attachmentBody, attachmentUrl, createAttachment, ctl, phaseOf } from "./attachments-support";

const TIMING = { provisioningMs: 1000, deprovisioningMs: 1000, expiryMs: 60_000 };

describe("attachment control", () => {
  test("GET /_emulator/attachments[/{id}] and attachments()/attachment(id): seeded and created ones, phase, clock, connections and the body a GET answers", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 0 }, attachmentTiming: TIMING }, async ({ api, emulator }) => {
      const created = await createAttachment(api, attachmentBody("AZURE", { displayName: "made" }));
      const connection = (await api.call(CONNECTIONS, { method: "POST", body: awsBody(vpce()) })).body.id;
      const listed = await ctl(emulator, "GET", "/attachments");
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.map((a: AttachmentView) => [a.id, a.phase, a.seeded]), [
        ["platt-emuaws", "READY", true], ["platt-emuazure", "WAITING_FOR_CONNECTIONS", true], ["platt-emugcp", "WAITING_FOR_CONNECTIONS", true],
        [created.id, "PROVISIONING", false],
      ]);
      assert.deepEqual(listed.body, JSON.parse(JSON.stringify(emulator.control.attachments())));
      const one = (await ctl(emulator, "GET", `/attachments/${created.id}`)).body as AttachmentView;
      assert.deepEqual(
        [one.environmentId, one.cloud, one.region, one.displayName, one.held, one.provisionedAtMs, one.expiresAt, one.connectionIds],
        [ENV, "AZURE", "westeurope", "made", false, clock.ms + 1000, new Date(clock.ms + 61_000).toISOString(), []],
      );
      assert.deepEqual(one.body, created, "the body a GET answers");
      assert.deepEqual(emulator.control.attachment(AWS_ATTACHMENT)!.connectionIds, [connection]);
      assert.equal(emulator.control.attachment(AWS_ATTACHMENT)!.expiresAt, null, "a seeded one never expires by the clock");
      const missing = await ctl(emulator, "GET", "/attachments/platt-nosuch");
      assert.equal(missing.status, 404);
      assertMatchesSchema("Failure", missing.body);
      assert.equal(emulator.control.attachment("platt-nosuch"), undefined);
      const info = emulator.control.info() as { privateLinkAttachments: { id: string }[] };
      assert.deepEqual(info.privateLinkAttachments.map((a) => a.id), [...emulator.privateLinkAttachments.map((a) => a.id), created.id]);
    });
  });

  test("hold keeps a new attachment in PROVISIONING (and from expiring) until released; release starts its clock again", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentTiming: TIMING }, async ({ api, emulator }) => {
      const { id } = await createAttachment(api);
      const held = await ctl(emulator, "POST", `/attachments/${id}/hold`, { hold: true });
      assert.deepEqual([held.status, held.body.held, held.body.provisionedAt, held.body.expiresAt], [200, true, null, null]);
      clock.advance(10 * TIMING.expiryMs);
      assert.equal(await phaseOf(api, id), "PROVISIONING");
      const released = emulator.control.holdAttachment(id, false);
      assert.equal(released.provisionedAtMs, clock.ms, "provisioned as soon as released, the time it waited being over");
      assert.equal(await phaseOf(api, id), "WAITING_FOR_CONNECTIONS");
      assert.equal((await ctl(emulator, "POST", `/attachments/${id}/hold`, { hold: "yes" })).status, 400);
    });
  });

  test("a forced phase: FAILED with a default or given error (shown by GET, spec-valid), EXPIRED, null back to the clock", async () => {
    await withEmulator({}, async ({ api, emulator }) => {
      const failed = await ctl(emulator, "POST", `/attachments/${AWS_ATTACHMENT}/phase`, { phase: "FAILED" });
      assert.deepEqual([failed.status, failed.body.phase, failed.body.forcedPhase], [200, "FAILED", "FAILED"]);
      const read = (await api.call(attachmentUrl(AWS_ATTACHMENT))).body;
      assert.equal(read.status.phase, "FAILED");
      assert.equal(read.status.error_code, "PROVISIONING_FAILED");
      assert.match(read.status.error_message, /could not be provisioned/);
      emulator.control.setAttachmentPhase(AWS_ATTACHMENT, "EXPIRED", { errorCode: "NO_CONNECTIONS", errorMessage: "timed out waiting for connections" });
      const expired = (await api.call(attachmentUrl(AWS_ATTACHMENT))).body.status;
      assert.deepEqual([expired.phase, expired.error_code, expired.error_message], ["EXPIRED", "NO_CONNECTIONS", "timed out waiting for connections"]);
      emulator.control.setAttachmentPhase(AWS_ATTACHMENT, null);
      const back = (await api.call(attachmentUrl(AWS_ATTACHMENT))).body.status;
      assert.deepEqual([back.phase, "error_code" in back], ["WAITING_FOR_CONNECTIONS", false]);
      for (const body of [{ phase: "" }, { phase: 3 }, { phase: "FAILED", error_code: 5 }]) {
        assert.equal((await ctl(emulator, "POST", `/attachments/${AWS_ATTACHMENT}/phase`, body)).status, 400, JSON.stringify(body));
      }
      assert.equal((await ctl(emulator, "POST", "/attachments/platt-nosuch/phase", { phase: "FAILED" })).status, 404);
    });
  });

  test("rename out of band (drift): GET shows the new name, updated_at moves", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock }, async ({ api, emulator }) => {
      const before = (await api.call(attachmentUrl(AWS_ATTACHMENT))).body;
      clock.advance(1000);
      const renamed = await ctl(emulator, "POST", `/attachments/${AWS_ATTACHMENT}/rename`, { display_name: "renamed-in-console" });
      assert.equal(renamed.body.displayName, "renamed-in-console");
      const after = (await api.call(attachmentUrl(AWS_ATTACHMENT))).body;
      assert.equal(after.spec.display_name, "renamed-in-console");
      assert.notEqual(after.metadata.updated_at, before.metadata.updated_at);
      emulator.control.renameAttachment(AWS_ATTACHMENT, null);
      assert.equal("display_name" in (await api.call(attachmentUrl(AWS_ATTACHMENT))).body.spec, false);
    });
  });

  test("delete out of band, with its connections: at once, or through DEPROVISIONING with ?graceful=true", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { deprovisioningMs: 5000 }, attachmentTiming: { deprovisioningMs: 1000 } }, async ({ api, emulator }) => {
      const atOnce = (await api.call(CONNECTIONS, { method: "POST", body: awsBody(vpce()) })).body.id;
      assert.equal((await ctl(emulator, "DELETE", `/attachments/${AWS_ATTACHMENT}`)).status, 204);
      assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT))).status, 404);
      assert.equal((await api.call(`${CONNECTIONS}/${atOnce}?environment=${ENV}`)).status, 404);

      const gcp = (await api.call(CONNECTIONS, { method: "POST", body: { spec: { cloud: { kind: "GcpPrivateLinkAttachmentConnection", private_service_connect_connection_id: "123456789" }, environment: { id: ENV }, private_link_attachment: { id: "platt-emugcp" } } } })).body.id;
      assert.equal((await ctl(emulator, "DELETE", "/attachments/platt-emugcp?graceful=true")).status, 204);
      assert.equal(await phaseOf(api, "platt-emugcp"), "DEPROVISIONING");
      assert.equal((await api.call(`${CONNECTIONS}/${gcp}?environment=${ENV}`)).body.status.phase, "DEPROVISIONING");
      clock.advance(5000);
      assert.equal((await api.call(attachmentUrl("platt-emugcp"))).status, 404);
      assert.equal((await ctl(emulator, "DELETE", "/attachments/platt-emugcp")).status, 404);
    });
  });

  test("onAttachmentCreated: told of each attachment a create makes before the create is answered, so a test can hold or fail it first", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, attachmentTiming: TIMING }, async ({ api, emulator }) => {
      const seen: AttachmentView[] = [];
      const stop = emulator.control.onAttachmentCreated((view) => {
        seen.push(view);
        emulator.control.setAttachmentPhase(view.id, "FAILED", { errorMessage: "no capacity in the region" });
      });
      const created = await createAttachment(api);
      assert.deepEqual(seen.map((v) => [v.id, v.phase]), [[created.id, "PROVISIONING"]]);
      assert.equal(created.status.phase, "FAILED", "the answer already shows it");
      assert.equal(created.status.error_message, "no capacity in the region");
      stop();
      await createAttachment(api);
      assert.equal(seen.length, 1, "not told after stop()");
    });
  });

  test("reset: created attachments are gone, seeded ones are back as at start, attachmentTiming restored", async () => {
    await withEmulator({}, async ({ api, emulator }) => {
      const before = emulator.control.info();
      const { id } = await createAttachment(api);
      emulator.control.deleteAttachment(AWS_ATTACHMENT);
      emulator.control.renameAttachment("platt-emugcp", "changed");
      emulator.control.configure({ attachmentTiming: { provisioningMs: 1 } });
      emulator.control.reset();
      assert.deepEqual(emulator.control.info(), before);
      assert.equal(emulator.control.attachment(id), undefined);
      assert.equal(await phaseOf(api, AWS_ATTACHMENT), "WAITING_FOR_CONNECTIONS");
      assert.equal((await api.call(attachmentUrl("platt-emugcp"))).body.spec.display_name, "emulator-gcp-us-central1");
      for (const change of [{ attachmentTiming: { provisioningMs: -5 } }, { attachmentTiming: { later: 1 } }, { attachmentTiming: 3 }]) {
        assert.throws(() => emulator.control.configure(change as never), (e: unknown) => e instanceof ControlError && e.status === 400, JSON.stringify(change));
      }
    });
  });
});

describe("the attachment paths share the connections' faults, rate window, request log and authentication", () => {
  test("faults match attachment paths: before (nothing created), after (created, the answer spoiled), applied late", async () => {
    await withEmulator({}, async ({ api, emulator }) => {
      emulator.control.injectFault({ method: "POST", path: ATTACHMENTS, status: 503 });
      assert.equal((await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody(), unchecked: true })).status, 503);
      assert.equal(emulator.control.attachments().length, 3, "nothing created");

      emulator.control.injectFault({ method: "POST", path: ATTACHMENTS, status: 500, when: "after" });
      assert.equal((await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody() })).status, 500);
      assert.equal(emulator.control.attachments().length, 4, "created, though the client was told otherwise");

      emulator.control.injectFault({ method: "POST", path: ATTACHMENTS, reset: true, applyAfterMs: 600_000 });
      await assert.rejects(api.call(ATTACHMENTS, { method: "POST", body: attachmentBody() }));
      assert.equal(emulator.control.attachments().length, 4);
      assert.deepEqual(emulator.control.applyLateRequests().map((r) => r.status), [202]);
      assert.equal(emulator.control.attachments().length, 5);

      emulator.control.injectFault({ method: "GET", path: `${ATTACHMENTS}/*`, status: 500, count: 2 });
      assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT))).status, 500);
      assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT))).status, 500);
      assert.equal((await api.call(attachmentUrl(AWS_ATTACHMENT))).status, 200);
    });
  });

  test("the rate window counts attachment requests with the connection ones; a limited POST creates nothing", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, rateLimit: { requests: 3, windowMs: 10_000 } }, async ({ api, emulator }) => {
      const read = await api.call(attachmentUrl(AWS_ATTACHMENT));
      assert.deepEqual([read.headers.get("x-ratelimit-limit"), read.headers.get("x-ratelimit-remaining")], ["3", "2"]);
      await api.call(`${CONNECTIONS}?environment=${ENV}`);
      await createAttachment(api);
      const limited = await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody() });
      assert.deepEqual([limited.status, limited.text, limited.headers.get("retry-after")], [429, "", "10"]);
      assert.equal(emulator.control.attachments().length, 4, "one created, the limited one not");
    });
  });

  test("the request log and its counts name the attachment routes; OAuth bearer tokens and static tokens work, no credential is 401", async () => {
    const client = { clientId: "ci", clientSecret: "ci-secret-0123456789" };
    await withEmulator({ oauth: { identityPools: ["pool-ci"], clients: [client] } }, async ({ api, emulator }) => {
      const { id } = await createAttachment(api);
      await api.call(attachmentUrl(id));
      await api.call(`${ATTACHMENTS}/${id}`, { method: "PATCH", body: { spec: { display_name: "x", environment: { id: ENV } } } });
      await api.call(attachmentUrl(id), { method: "DELETE" });
      const idp = await fetch(emulator.oauth.tokenUrl, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }).toString(),
      });
      const external = ((await idp.json()) as { access_token: string }).access_token;
      const sts = await fetch(`${emulator.url}/sts/v1/oauth2/token`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: external, identity_pool_id: "pool-ci",
          subject_token_type: "urn:ietf:params:oauth:token-type:jwt", requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
        }).toString(),
      });
      const bearer = ((await sts.json()) as { access_token: string }).access_token;
      assert.equal((await api.call(`${ATTACHMENTS}?environment=${ENV}`, { auth: `Bearer ${bearer}` })).status, 200);
      assert.equal((await api.call(`${ATTACHMENTS}?environment=${ENV}`, { auth: `Bearer ${emulator.accessTokens[0]}` })).status, 200);
      const refused = await api.call(ATTACHMENTS, { method: "POST", body: attachmentBody(), auth: null });
      assert.equal(refused.status, 401);
      assert.ok(refused.headers.get("www-authenticate"));

      const counts = emulator.control.counts().byRoute;
      for (const key of [`GET ${ATTACHMENTS}/{id}`, `PATCH ${ATTACHMENTS}/{id}`, `DELETE ${ATTACHMENTS}/{id}`]) assert.equal(counts[key], 1, key);
      assert.equal(counts[`GET ${ATTACHMENTS}`], 2);
      assert.equal(counts[`POST ${ATTACHMENTS}`], 2, "the refused one is logged too");
      assert.deepEqual(
        emulator.control.requests().filter((r) => r.route?.startsWith(ATTACHMENTS) && r.method === "GET" && r.route === ATTACHMENTS).map((r) => r.auth),
        ["oauth", "bearer"],
      );
      assert.deepEqual(emulator.control.attachments().map((a) => a.id), [...emulator.privateLinkAttachments.map((a) => a.id), id], "the unauthenticated POST created nothing");
    });
  });
});
