// Test control of the emulator: in-process (`emulator.control.*`) and over HTTP under /_emulator/….
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { ControlError } from "../../emulator/control";
import type { Emulator, FaultSpec } from "../../emulator";
import { basic, type Caller } from "../support/http";
import { assertMatchesSchema } from "../support/openapi";
import { awsBody, AWS_ATTACHMENT, CONNECTIONS, ENV, GCP_ATTACHMENT, ManualClock, vpce, withEmulator } from "../support/emulator";

const ATTACHMENTS = "/networking/v1/private-link-attachments";

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** A control request; control answers are always JSON (or empty). */
async function ctl(emulator: Emulator, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Raw> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  const res = await fetch(`${emulator.url}/_emulator${route}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text === "" ? undefined : JSON.parse(text) };
}

/** An API request whose answer is not necessarily JSON (injected raw bodies). */
async function rawApi(emulator: Emulator, pathAndQuery: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(emulator.url + pathAndQuery, {
    ...init,
    headers: { Authorization: basic(emulator.credentials.apiKey, emulator.credentials.apiSecret), ...(init.headers as Record<string, string> | undefined) },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function wholeSecondsAtLeastOne(value: string | null, name: string): number {
  assert.ok(value !== null, `${name} is missing`);
  assert.match(value, /^[0-9]+$/, `${name} must be whole seconds, got '${value}'`);
  const n = Number(value);
  assert.ok(n >= 1, `${name} must be >= 1, got ${n}`);
  return n;
}

function assertControlFailure(reply: Raw, status: number): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.headers.get("content-type") ?? "", /^application\/json/);
  assertMatchesSchema("Failure", reply.body);
  assert.equal(reply.body.errors[0].status, String(status));
  assert.equal(typeof reply.body.errors[0].detail, "string");
}

async function createAws(api: Caller, extra: Parameters<typeof awsBody>[1] = {}): Promise<any> {
  const reply = await api.call(CONNECTIONS, { method: "POST", body: awsBody(vpce(), extra) });
  assert.equal(reply.status, 202, reply.text);
  return reply.body;
}

const listUrl = `${CONNECTIONS}?environment=${ENV}`;
const readUrl = (id: string) => `${CONNECTIONS}/${id}?environment=${ENV}`;

describe("faults", () => {
  test("429 storm: the next N matching requests answer 429 with no body and whole-second Retry-After / X-RateLimit-Reset, then it is exhausted", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const fault = emulator.control.injectFault({ method: "GET", path: CONNECTIONS, status: 429, count: 3 });
      assert.equal(fault.count, 3);
      assert.equal(fault.matched, 0);
      assert.equal(fault.when, "before");

      for (let i = 0; i < 3; i++) {
        const reply = await api.call(listUrl); // the Caller checks the spec: a 429 has no body
        assert.equal(reply.status, 429);
        assert.equal(reply.text, "");
        wholeSecondsAtLeastOne(reply.headers.get("retry-after"), "Retry-After");
        wholeSecondsAtLeastOne(reply.headers.get("x-ratelimit-reset"), "X-RateLimit-Reset");
        assert.ok(reply.headers.get("x-request-id"));
        if (i === 0) {
          // another method on the same path is not matched
          assert.equal((await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).status, 202);
        }
      }
      const after = await api.call(listUrl);
      assert.equal(after.status, 200);
      assert.equal(after.body.data.length, 1);

      const listed = emulator.control.faults();
      assert.equal(listed.length, 1);
      assert.equal(listed[0]!.matched, 3);
      const faulted = emulator.control.requests().filter((r) => r.faultId === fault.id);
      assert.deepEqual(faulted.map((r) => r.status), [429, 429, 429]);
    });
  });

  test("over HTTP: POST /_emulator/faults injects a 500 (a spec-valid Failure), GET lists, DELETE clears", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const created = await createAws(api);
      const injected = await ctl(emulator, "POST", "/faults", { method: "GET", path: `${CONNECTIONS}/*`, status: 500, count: 2 });
      assert.equal(injected.status, 200, injected.text);
      assert.equal(injected.body.count, 2);
      assert.equal(injected.body.status, 500);
      assert.equal(typeof injected.body.id, "number");

      const listed = await ctl(emulator, "GET", "/faults");
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.map((f: { id: number }) => f.id), [injected.body.id]);

      const failed = await api.call(readUrl(created.id)); // checked against the spec's 500 response
      assert.equal(failed.status, 500);
      assert.equal(failed.body.errors[0].status, "500");
      // the wildcard needs the "/…" after the collection path
      assert.equal((await api.call(listUrl)).status, 200);

      assert.equal((await ctl(emulator, "DELETE", "/faults")).status, 204);
      assert.deepEqual((await ctl(emulator, "GET", "/faults")).body, []);
      assert.equal((await api.call(readUrl(created.id))).status, 200, "the second count of a cleared fault must not fire");
    });
  });

  test("a 503 answers with a Failure body", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      emulator.control.injectFault({ path: CONNECTIONS, status: 503 });
      const reply = await api.call(listUrl, { unchecked: true }); // 503 is not declared by the spec
      assert.equal(reply.status, 503);
      assert.match(reply.headers.get("content-type") ?? "", /^application\/json/);
      assertMatchesSchema("Failure", reply.body);
      assert.equal(reply.body.errors[0].status, "503");
      assert.equal((await api.call(listUrl)).status, 200);
    });
  });

  test("headers: override values, add new ones, null removes one (a 429 without Retry-After)", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      emulator.control.injectFault({ path: CONNECTIONS, status: 429, headers: { "Retry-After": null, "x-ratelimit-reset": "42", "X-Extra": "yes" } });
      const reply = await api.call(listUrl);
      assert.equal(reply.status, 429);
      assert.equal(reply.headers.get("retry-after"), null);
      assert.equal(reply.headers.get("x-ratelimit-reset"), "42");
      assert.equal(reply.headers.get("x-extra"), "yes");

      emulator.control.injectFault({ path: CONNECTIONS, status: 429, headers: { "Retry-After": "17" } });
      const second = await api.call(listUrl);
      assert.equal(second.headers.get("retry-after"), "17");
      assert.equal(second.headers.get("x-ratelimit-reset"), "1", "untouched headers keep their defaults");
    });
  });

  test("reset before the request is applied: the client sees a socket error and no connection is created", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const fault = emulator.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
      const body = awsBody();
      await assert.rejects(api.call(CONNECTIONS, { method: "POST", body }), TypeError);
      assert.deepEqual(emulator.control.connections(), []);
      assert.equal((await api.call(listUrl)).body.data.length, 0);
      const entry = emulator.control.requests().find((r) => r.faultId === fault.id);
      assert.equal(entry?.status, "reset");

      const retried = await api.call(CONNECTIONS, { method: "POST", body });
      assert.equal(retried.status, 202, "the fault is exhausted after one request");
      assert.equal(emulator.control.connections().length, 1);
    });
  });

  test('when "after": the ambiguous POST — the client sees a socket error but the connection exists', async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      emulator.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true, when: "after" });
      const endpoint = vpce();
      await assert.rejects(api.call(CONNECTIONS, { method: "POST", body: awsBody(endpoint) }), TypeError);
      const views = emulator.control.connections();
      assert.equal(views.length, 1);
      assert.equal(views[0]!.endpointId, endpoint);
      const listed = await api.call(listUrl);
      assert.deepEqual(listed.body.data.map((c: { id: string }) => c.id), [views[0]!.id]);

      // a blind retry finds the duplicate
      const retried = await api.call(CONNECTIONS, { method: "POST", body: awsBody(endpoint) });
      assert.equal(retried.status, 409);
      assert.match(retried.headers.get("location") ?? "", new RegExp(`${views[0]!.id}$`));

      // the same with a status: applied, but answered 500
      emulator.control.injectFault({ method: "POST", path: CONNECTIONS, status: 500, when: "after" });
      const other = vpce();
      assert.equal((await api.call(CONNECTIONS, { method: "POST", body: awsBody(other) })).status, 500);
      assert.ok(emulator.control.connections().some((c) => c.endpointId === other));
    });
  });

  test("delayMs alone: a slow but otherwise normal answer", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const fault = emulator.control.injectFault({ path: CONNECTIONS, delayMs: 400 });
      const started = Date.now();
      const reply = await api.call(listUrl);
      const elapsed = Date.now() - started;
      assert.equal(reply.status, 200);
      assert.ok(elapsed >= 380, `answered after ${elapsed} ms`);
      const entry = emulator.control.requests().find((r) => r.faultId === fault.id);
      assert.ok(entry && entry.durationMs >= 380 && entry.status === 200);
    });
  });

  test("path wildcards and method matching (case-insensitive), each fault exhausting after its count", async () => {
    await withEmulator({ clock: new ManualClock() }, async ({ emulator, api }) => {
      const connection = await createAws(api);
      emulator.control.injectFault({ method: "get", path: `${ATTACHMENTS}/*`, status: 500, count: 2 });
      assert.equal((await api.call(`${ATTACHMENTS}?environment=${ENV}`)).status, 200, "the collection path does not match /*");
      assert.equal((await api.call(`${ATTACHMENTS}/${AWS_ATTACHMENT}?environment=${ENV}`)).status, 500);
      assert.equal((await api.call(`${ATTACHMENTS}/${GCP_ATTACHMENT}?environment=${ENV}`)).status, 500);
      assert.equal((await api.call(`${ATTACHMENTS}/${GCP_ATTACHMENT}?environment=${ENV}`)).status, 200);

      emulator.control.injectFault({ path: "/networking/*/private-link-attachment-connections", status: 500 });
      assert.equal((await api.call(readUrl(connection.id))).status, 200, "the pattern is anchored at the end");
      assert.equal((await api.call(listUrl)).status, 500);
      assert.equal((await api.call(listUrl)).status, 200);

      emulator.control.injectFault({ method: "DELETE", status: 500 }); // any path
      assert.equal((await api.call(readUrl(connection.id))).status, 200);
      assert.equal((await api.call(readUrl(connection.id), { method: "DELETE" })).status, 500);
      assert.equal(emulator.control.connection(connection.id)?.phase, "PROVISIONING", "a fault before the request does not apply it");
      assert.deepEqual(emulator.control.faults().map((f) => f.matched), [2, 1, 1]);
    });
  });

  test("raw body and content type: an HTML 502 page, invalid JSON on a 200, a JSON value", async () => {
    await withEmulator({}, async ({ emulator }) => {
      const page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
      emulator.control.injectFault({ path: CONNECTIONS, status: 502, body: page, contentType: "text/html" });
      const html = await rawApi(emulator, listUrl);
      assert.equal(html.status, 502);
      assert.equal(html.headers.get("content-type"), "text/html");
      assert.equal(html.text, page);

      await ctl(emulator, "POST", "/faults", { path: CONNECTIONS, status: 200, body: '{"api_version":"networking/v1","data":[' });
      const broken = await rawApi(emulator, listUrl);
      assert.equal(broken.status, 200);
      assert.match(broken.headers.get("content-type") ?? "", /^application\/json/);
      assert.throws(() => JSON.parse(broken.text), SyntaxError);

      emulator.control.injectFault({ path: CONNECTIONS, status: 500, body: { message: "upstream timeout" } });
      const json = await rawApi(emulator, listUrl);
      assert.equal(json.status, 500);
      assert.deepEqual(JSON.parse(json.text), { message: "upstream timeout" });
    });
  });

  test("invalid fault specs are refused: in-process with ControlError 400, over HTTP with a 400 Failure", async () => {
    await withEmulator({}, async ({ emulator }) => {
      const bad: unknown[] = [
        {},
        { status: 500, count: 0 },
        { status: 500, count: 1.5 },
        { status: 700 },
        { status: 500, when: "later" },
        { status: 500, path: 5 },
        { status: 500, method: ["GET"] },
        { delayMs: -5 },
        { delayMs: "soon" },
        { status: 500, headers: { "Retry-After": 5 } },
        { reset: true, body: "ignored" },
      ];
      for (const spec of bad) {
        assert.throws(() => emulator.control.injectFault(spec as FaultSpec), (e: unknown) => e instanceof ControlError && e.status === 400, JSON.stringify(spec));
        assertControlFailure(await ctl(emulator, "POST", "/faults", spec), 400);
      }
      assert.deepEqual(emulator.control.faults(), []);
    });
  });
});

describe("lifecycle and drift", () => {
  test("force FAILED (error code and message visible in GET), DISCONNECTED, any phase; null clears back to READY", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 5000 } }, async ({ emulator, api }) => {
      const { id } = await createAws(api);
      clock.advance(5000);
      assert.equal((await api.call(readUrl(id))).body.status.phase, "READY");

      const view = emulator.control.setPhase(id, "FAILED", { errorCode: "VPC_ENDPOINT_REJECTED", errorMessage: "the endpoint owner rejected the connection" });
      assert.equal(view.phase, "FAILED");
      assert.equal(view.forcedPhase, "FAILED");
      let status = (await api.call(readUrl(id))).body.status;
      assert.equal(status.phase, "FAILED");
      assert.equal(status.error_code, "VPC_ENDPOINT_REJECTED");
      assert.equal(status.error_message, "the endpoint owner rejected the connection");
      const listed = (await api.call(listUrl)).body.data[0];
      assert.equal(listed.status.phase, "FAILED");

      emulator.control.setPhase(id, "FAILED");
      status = (await api.call(readUrl(id))).body.status;
      assert.ok(status.error_code.length > 0 && status.error_message.length > 0, "FAILED carries a default code and message");

      const disconnected = await ctl(emulator, "POST", `/connections/${id}/phase`, { phase: "DISCONNECTED" });
      assert.equal(disconnected.status, 200, disconnected.text);
      assert.equal(disconnected.body.phase, "DISCONNECTED");
      status = (await api.call(readUrl(id))).body.status;
      assert.equal(status.phase, "DISCONNECTED");
      assert.ok(typeof status.error_code === "string" && status.error_code.length > 0);
      assert.ok(typeof status.error_message === "string" && status.error_message.length > 0);

      await ctl(emulator, "POST", `/connections/${id}/phase`, { phase: "SUSPENDED_BY_SUPPORT", error_code: "X1", error_message: "held by support" });
      status = (await api.call(readUrl(id))).body.status;
      assert.deepEqual([status.phase, status.error_code, status.error_message], ["SUSPENDED_BY_SUPPORT", "X1", "held by support"]);

      const cleared = await ctl(emulator, "POST", `/connections/${id}/phase`, { phase: null });
      assert.equal(cleared.status, 200);
      assert.equal(cleared.body.forcedPhase, undefined);
      status = (await api.call(readUrl(id))).body.status;
      assert.equal(status.phase, "READY");
      assert.equal("error_code" in status, false);
      assert.equal("error_message" in status, false);

      assertControlFailure(await ctl(emulator, "POST", `/connections/${id}/phase`, {}), 400);
      assertControlFailure(await ctl(emulator, "POST", `/connections/${id}/phase`, { phase: "FAILED", error_code: 7 }), 400);
    });
  });

  test("hold in PROVISIONING past provisioningMs, then release → READY", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 5000 } }, async ({ emulator, api }) => {
      const held = await createAws(api);
      const free = await createAws(api);
      const view = emulator.control.hold(held.id);
      assert.equal(view.held, true);
      assert.equal(view.readyAt, null);

      clock.advance(50_000);
      assert.equal((await api.call(readUrl(free.id))).body.status.phase, "READY", "without a hold it is READY by now");
      const stillProvisioning = (await api.call(readUrl(held.id))).body;
      assert.equal(stillProvisioning.status.phase, "PROVISIONING");
      assert.equal(stillProvisioning.status.cloud, undefined, "strict mode shows no status.cloud before Confluent's side exists");
      const seen = await ctl(emulator, "GET", `/connections/${held.id}`);
      assert.equal(seen.body.held, true);
      assert.equal(seen.body.phase, "PROVISIONING");

      const released = await ctl(emulator, "POST", `/connections/${held.id}/hold`, { hold: false });
      assert.equal(released.status, 200, released.text);
      assert.equal(released.body.held, false);
      assert.equal(released.body.phase, "READY");
      const ready = (await api.call(readUrl(held.id))).body;
      assert.equal(ready.status.phase, "READY");
      assert.ok(ready.status.cloud.vpc_endpoint_service_name.length > 0);

      // holding over HTTP works too
      const third = await createAws(api);
      assert.equal((await ctl(emulator, "POST", `/connections/${third.id}/hold`)).body.held, true);
      clock.advance(50_000);
      assert.equal((await api.call(readUrl(third.id))).body.status.phase, "PROVISIONING");
    });
  });

  test("onCreated: told of each create as it applies, before the answer; what it does shows in that answer", async () => {
    await withEmulator({ timing: { provisioningMs: 0 } }, async ({ emulator, api }) => {
      const seen: string[] = [];
      const stop = emulator.control.onCreated((view) => {
        seen.push(`${view.id} ${view.phase}`);
        // provisioningMs 0: READY at once, unless held before anyone reads it.
        emulator.control.hold(view.id);
      });
      const held = await createAws(api);
      assert.deepEqual(seen, [`${held.id} READY`], "called once, before the 202 was sent (provisioningMs 0: READY at once)");
      assert.equal(held.status.phase, "PROVISIONING", "the hold applied before the answer");
      assert.equal((await api.call(readUrl(held.id))).body.status.phase, "PROVISIONING");

      stop();
      const free = await createAws(api);
      assert.equal(seen.length, 1, "no calls after stop");
      assert.equal((await api.call(readUrl(free.id))).body.status.phase, "READY");
      emulator.control.seedConnection({
        spec: { cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: vpce() }, environment: { id: ENV }, private_link_attachment: { id: AWS_ATTACHMENT } },
        status: { phase: "READY" },
      });
      assert.equal(seen.length, 1, "seeded connections are not creates");
    });
  });

  test("an out-of-band rename shows in GET (in-process and over HTTP)", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock }, async ({ emulator, api }) => {
      const { id } = await createAws(api, { displayName: "from-pulumi" });
      clock.advance(60_000);
      const view = emulator.control.rename(id, "renamed-in-the-console");
      assert.equal(view.displayName, "renamed-in-the-console");
      let body = (await api.call(readUrl(id))).body;
      assert.equal(body.spec.display_name, "renamed-in-the-console");
      assert.equal(body.metadata.updated_at, new Date(clock.ms).toISOString());

      assert.equal((await ctl(emulator, "POST", `/connections/${id}/rename`, { display_name: "renamed-again" })).status, 200);
      assert.equal((await api.call(readUrl(id))).body.spec.display_name, "renamed-again");

      await ctl(emulator, "POST", `/connections/${id}/rename`, { display_name: null });
      body = (await api.call(readUrl(id))).body;
      assert.equal("display_name" in body.spec, false);

      assertControlFailure(await ctl(emulator, "POST", `/connections/${id}/rename`, { display_name: 42 }), 400);
    });
  });

  test("out-of-band delete → 404 at once; graceful delete → DEPROVISIONING, then 404 after deprovisioningMs", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, timing: { provisioningMs: 1000, deprovisioningMs: 2000 } }, async ({ emulator, api }) => {
      const gone = await createAws(api);
      const graceful = await createAws(api);
      clock.advance(1000);

      emulator.control.deleteConnection(gone.id);
      assert.equal((await api.call(readUrl(gone.id))).status, 404);
      assert.equal(emulator.control.connection(gone.id), undefined);
      assertControlFailure(await ctl(emulator, "GET", `/connections/${gone.id}`), 404);

      assert.equal((await ctl(emulator, "DELETE", `/connections/${graceful.id}?graceful=true`)).status, 204);
      const deprovisioning = (await api.call(readUrl(graceful.id))).body;
      assert.equal(deprovisioning.status.phase, "DEPROVISIONING");
      assert.equal(deprovisioning.metadata.deleted_at, new Date(clock.ms).toISOString());
      clock.advance(1999);
      assert.equal((await api.call(readUrl(graceful.id))).body.status.phase, "DEPROVISIONING");
      clock.advance(1);
      assert.equal((await api.call(readUrl(graceful.id))).status, 404);
      assert.deepEqual((await api.call(listUrl)).body.data, []);

      const third = await createAws(api);
      assert.equal((await ctl(emulator, "DELETE", `/connections/${third.id}`)).status, 204);
      assert.equal((await api.call(readUrl(third.id))).status, 404, "without graceful=true the delete is immediate");

      assert.throws(() => emulator.control.deleteConnection("plattc-none"), (e: unknown) => e instanceof ControlError && e.status === 404);
      assert.throws(() => emulator.control.setPhase("plattc-none", "FAILED"), (e: unknown) => e instanceof ControlError && e.status === 404);
      assert.throws(() => emulator.control.hold("plattc-none"), (e: unknown) => e instanceof ControlError && e.status === 404);
    });
  });
});

describe("request log", () => {
  test("records method, path, query, status, route and auth kind, never a credential", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const { apiKey, apiSecret } = emulator.credentials;
      const token = emulator.accessTokens[0]!;
      const wrongSecret = "wrong-secret-0123456789abcdef";
      const wrongToken = "wrong-token-0123456789abcdef";

      const created = await api.call(CONNECTIONS, { method: "POST", body: awsBody() });
      const read = await api.call(readUrl(created.body.id), { auth: `Bearer ${token}` });
      const none = await api.call(`${listUrl}&page_size=5`, { auth: null });
      const badSecret = await api.call(listUrl, { auth: basic(apiKey, wrongSecret) });
      const badToken = await api.call(listUrl, { auth: `Bearer ${wrongToken}` });
      const nowhere = await api.call("/networking/v1/nothing-here?x=1");
      assert.deepEqual([created, read, none, badSecret, badToken, nowhere].map((r) => r.status), [202, 200, 401, 401, 401, 404]);

      const log = emulator.control.requests();
      assert.deepEqual(
        log.map((r) => [r.method, r.path, r.status, r.auth, r.route]),
        [
          ["POST", CONNECTIONS, 202, "basic", CONNECTIONS],
          ["GET", `${CONNECTIONS}/${created.body.id}`, 200, "bearer", `${CONNECTIONS}/{id}`],
          ["GET", CONNECTIONS, 401, "none", CONNECTIONS],
          ["GET", CONNECTIONS, 401, "invalid", CONNECTIONS],
          ["GET", CONNECTIONS, 401, "invalid", CONNECTIONS],
          ["GET", "/networking/v1/nothing-here", 404, "basic", undefined],
        ],
      );
      assert.deepEqual(log[0]!.query, {});
      assert.deepEqual(log[1]!.query, { environment: ENV });
      assert.deepEqual(log[2]!.query, { environment: ENV, page_size: "5" });
      assert.deepEqual(log[5]!.query, { x: "1" });
      assert.deepEqual(log.map((r) => r.requestId), [created, read, none, badSecret, badToken, nowhere].map((r) => r.headers.get("x-request-id")));
      for (let i = 1; i < log.length; i++) assert.ok(log[i]!.seq > log[i - 1]!.seq);
      for (const r of log) {
        assert.ok(!Number.isNaN(Date.parse(r.at)));
        assert.ok(r.durationMs >= 0);
      }

      const secrets = [apiSecret, apiKey, token, wrongSecret, wrongToken, Buffer.from(`${apiKey}:${apiSecret}`).toString("base64")];
      const inProcess = JSON.stringify(emulator.control.requests());
      const overHttp = await ctl(emulator, "GET", "/requests");
      assert.equal(overHttp.status, 200);
      for (const secret of secrets) {
        assert.equal(inProcess.includes(secret), false, "a credential is in the request log");
        assert.equal(overHttp.text.includes(secret), false, "a credential is in GET /_emulator/requests");
      }
      assert.deepEqual(overHttp.body, JSON.parse(inProcess));
    });
  });

  test("counts by path and by route; DELETE /_emulator/requests clears the log", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const a = await createAws(api);
      const b = await createAws(api);
      for (const id of [a.id, b.id, a.id]) await api.call(readUrl(id));
      await api.call(readUrl(a.id), { method: "DELETE" });
      await api.call(listUrl);
      await api.call("/nope");

      const counts = emulator.control.counts();
      assert.equal(counts.total, 8);
      assert.deepEqual(counts.byPath, {
        [`POST ${CONNECTIONS}`]: 2,
        [`GET ${CONNECTIONS}/${a.id}`]: 2,
        [`GET ${CONNECTIONS}/${b.id}`]: 1,
        [`DELETE ${CONNECTIONS}/${a.id}`]: 1,
        [`GET ${CONNECTIONS}`]: 1,
        "GET /nope": 1,
      });
      assert.deepEqual(counts.byRoute, {
        [`POST ${CONNECTIONS}`]: 2,
        [`GET ${CONNECTIONS}/{id}`]: 3,
        [`DELETE ${CONNECTIONS}/{id}`]: 1,
        [`GET ${CONNECTIONS}`]: 1,
        "GET /nope": 1,
      });
      const overHttp = await ctl(emulator, "GET", "/requests/counts");
      assert.equal(overHttp.status, 200);
      assert.deepEqual(overHttp.body, counts);

      assert.equal((await ctl(emulator, "DELETE", "/requests")).status, 204);
      assert.deepEqual(emulator.control.requests(), []);
      assert.deepEqual(emulator.control.counts(), { byPath: {}, byRoute: {}, total: 0 });
      await api.call(listUrl);
      assert.equal(emulator.control.counts().total, 1);
      emulator.control.clearRequests();
      assert.equal(emulator.control.requests().length, 0);
    });
  });
});

describe("reset, config, info", () => {
  test("POST /_emulator/reset: back to the state right after start", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock, rateLimit: { requests: 3, windowMs: 60_000 } }, async ({ emulator, api }) => {
      const before = emulator.control.info();
      await createAws(api);
      emulator.control.injectFault({ path: "/never", status: 500 });
      emulator.control.addEnvironment("env-added");
      emulator.control.addAttachment({ id: "platt-added", environmentId: "env-added", cloud: "GCP", region: "europe-west1" });
      await api.call(listUrl); // 2 of 3 used
      emulator.control.configure({ timing: { provisioningMs: 99 }, rateLimit: { requests: 2, windowMs: 1000 }, quirks: true });

      const reset = await ctl(emulator, "POST", "/reset");
      assert.equal(reset.status, 204);
      assert.deepEqual(emulator.control.connections(), []);
      assert.deepEqual(emulator.control.faults(), []);
      assert.deepEqual(emulator.control.requests(), []);
      assert.deepEqual(emulator.control.info(), before, "environments, attachments, timing, rate limit and quirks are as at start");
      assert.equal((await api.call(`${CONNECTIONS}?environment=env-added`)).status, 403);
      assert.equal((await api.call(`${ATTACHMENTS}/${AWS_ATTACHMENT}?environment=${ENV}`)).status, 200);
      // the rate window starts afresh with the start limit of 3: the two requests above and this one
      assert.equal((await api.call(listUrl)).status, 200);
      assert.equal((await api.call(listUrl)).status, 429);
      emulator.control.reset();
      assert.equal((await api.call(listUrl)).status, 200);
      assert.equal(emulator.control.requests().length, 1);
    });
  });

  test("POST /_emulator/config changes timing, rate limit and quirks, and answers the new info", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock }, async ({ emulator, api }) => {
      const timing = await ctl(emulator, "POST", "/config", { timing: { provisioningMs: 50_000 } });
      assert.equal(timing.status, 200, timing.text);
      assert.deepEqual(timing.body.timing, { provisioningMs: 50_000, deprovisioningMs: 1000 });
      const { id } = await createAws(api);
      assert.equal(emulator.control.connection(id)!.readyAtMs! - clock.ms, 50_000);
      clock.advance(49_999);
      assert.equal((await api.call(readUrl(id))).body.status.phase, "PROVISIONING");
      clock.advance(1);
      assert.equal((await api.call(readUrl(id))).body.status.phase, "READY");

      await ctl(emulator, "POST", "/config", { timing: { deprovisioningMs: 7000 } });
      assert.equal((await api.call(readUrl(id), { method: "DELETE" })).status, 204);
      clock.advance(6999);
      assert.equal((await api.call(readUrl(id))).body.status.phase, "DEPROVISIONING");
      clock.advance(1);
      assert.equal((await api.call(readUrl(id))).status, 404);

      const limited = await ctl(emulator, "POST", "/config", { rateLimit: { requests: 2, windowMs: 10_000 } });
      assert.deepEqual(limited.body.rateLimit, { requests: 2, windowMs: 10_000 });
      const first = await api.call(listUrl);
      assert.equal(first.headers.get("x-ratelimit-limit"), "2");
      assert.equal(first.headers.get("x-ratelimit-remaining"), "1");
      assert.equal((await api.call(listUrl)).headers.get("x-ratelimit-remaining"), "0");
      const throttled = await api.call(listUrl);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get("retry-after"), "10");
      assert.equal(throttled.headers.get("x-ratelimit-reset"), "10");
      clock.advance(10_000);
      assert.equal((await api.call(listUrl)).status, 200);

      emulator.control.configure({ rateLimit: { requests: 100, windowMs: 60_000 } });
      const quirky = await ctl(emulator, "POST", "/config", { quirks: true });
      assert.equal(quirky.body.quirks, true);
      const created = await api.call(CONNECTIONS, { method: "POST", body: awsBody(), unchecked: true });
      assert.equal(created.status, 201);
      assert.equal(created.body.spec.cloud.kind, "networking.v1.AwsPrivateLinkAttachmentConnection");
      await ctl(emulator, "POST", "/config", { quirks: false });
      assert.equal((await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).status, 202);

      const refused: unknown[] = [
        { rateLimit: { requests: 0, windowMs: 1000 } },
        { rateLimit: { requests: 5 } },
        { timing: { provisioningMs: -1 } },
        { timing: { provisioningMs: "fast" } },
        { quirks: "false" },
        { provisioningMs: 5 }, // a typo must not be accepted silently
      ];
      for (const change of refused) {
        assertControlFailure(await ctl(emulator, "POST", "/config", change), 400);
        assert.throws(() => emulator.control.configure(change as never), (e: unknown) => e instanceof ControlError && e.status === 400, JSON.stringify(change));
      }
      const info = emulator.control.info();
      assert.deepEqual([info.timing, info.rateLimit, info.quirks], [{ provisioningMs: 50_000, deprovisioningMs: 7000 }, { requests: 100, windowMs: 60_000 }, false]);
    });
  });

  test("GET /_emulator/info (and /health) describe the running emulator, without credentials", async () => {
    await withEmulator({ timing: { provisioningMs: 1234 }, rateLimit: { requests: 77, windowMs: 4000 }, quirks: true }, async ({ emulator }) => {
      const info = await ctl(emulator, "GET", "/info");
      assert.equal(info.status, 200);
      assert.equal(info.body.url, emulator.url);
      assert.deepEqual(info.body.environments, [ENV]);
      assert.deepEqual(info.body.privateLinkAttachments.map((a: { id: string; cloud: string }) => `${a.id}:${a.cloud}`).sort(), [
        "platt-emuaws:AWS", "platt-emuazure:AZURE", "platt-emugcp:GCP",
      ]);
      assert.deepEqual(info.body.timing, { provisioningMs: 1234, deprovisioningMs: 1000 });
      assert.deepEqual(info.body.rateLimit, { requests: 77, windowMs: 4000 });
      assert.equal(info.body.quirks, true);
      assert.deepEqual(info.body, JSON.parse(JSON.stringify(emulator.control.info())));
      assert.equal(info.text.includes(emulator.credentials.apiSecret), false);
      assert.deepEqual((await ctl(emulator, "GET", "/health")).body, { ok: true });
    });
  });

  test("control routes are not rate limited, need no authentication and are never logged", async () => {
    await withEmulator({ rateLimit: { requests: 1, windowMs: 60_000 } }, async ({ emulator, api }) => {
      assert.equal((await api.call(listUrl)).status, 200);
      assert.equal((await api.call(listUrl)).status, 429);
      for (let i = 0; i < 10; i++) {
        const open = await ctl(emulator, "GET", "/info");
        assert.equal(open.status, 200);
        assert.equal(open.headers.get("x-ratelimit-limit"), null);
        assert.equal((await ctl(emulator, "GET", "/requests", undefined, { Authorization: "Basic bm90OnZhbGlk" })).status, 200);
      }
      const fault = await ctl(emulator, "POST", "/faults", { path: "/_emulator/*", status: 500 });
      assert.equal(fault.status, 200);
      assert.equal((await ctl(emulator, "GET", "/info")).status, 200, "faults never apply to control routes");
      assert.equal((await api.call(listUrl)).status, 429, "control requests did not reset the window");
      const log = emulator.control.requests();
      assert.equal(log.length, 3);
      assert.ok(log.every((r) => !r.path.startsWith("/_emulator")));
      assert.equal(emulator.control.counts().total, 3);
    });
  });

  test("unknown control routes answer 404 and every control error is a JSON Failure", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const { id } = await createAws(api);
      assertControlFailure(await ctl(emulator, "GET", "/nope"), 404);
      assertControlFailure(await ctl(emulator, "GET", ""), 404);
      assertControlFailure(await ctl(emulator, "PUT", "/info"), 404);
      assertControlFailure(await ctl(emulator, "GET", "/requests/other"), 404);
      assertControlFailure(await ctl(emulator, "POST", `/connections/${id}/phase/extra`, { phase: "FAILED" }), 404);
      assert.equal(emulator.control.connection(id)!.phase, "PROVISIONING", "a route with extra segments must not act");
      assertControlFailure(await ctl(emulator, "POST", `/connections/${id}/explode`, {}), 404);
      assertControlFailure(await ctl(emulator, "POST", "/connections/plattc-none/phase", { phase: "FAILED" }), 404);
      assertControlFailure(await ctl(emulator, "POST", "/faults", "this is not JSON"), 400);
      assertControlFailure(await ctl(emulator, "POST", "/faults", "[1,2]"), 400);
      assertControlFailure(await ctl(emulator, "POST", "/connections", { spec: {} }), 400);
      assertControlFailure(await ctl(emulator, "POST", "/attachments", { id: "platt-x" }), 400);
      assertControlFailure(await ctl(emulator, "POST", "/environments", {}), 400);
      // nothing above reached the API or its log
      assert.equal(emulator.control.counts().total, 1);
    });
  });

  test("environments and attachments added over HTTP are served by the API", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      assert.equal((await ctl(emulator, "POST", "/environments", { id: "env-extra1" })).status, 204);
      assert.equal((await api.call(`${CONNECTIONS}?environment=env-extra1`)).status, 200);
      const added = await ctl(emulator, "POST", "/attachments", { id: "platt-extra1", environmentId: "env-extra2", cloud: "AWS", region: "eu-west-1" });
      assert.equal(added.status, 204);
      const attachment = await api.call(`${ATTACHMENTS}/platt-extra1?environment=env-extra2`);
      assert.equal(attachment.status, 200);
      assert.equal(attachment.body.spec.region, "eu-west-1");
      const created = await api.call(CONNECTIONS, { method: "POST", body: awsBody(vpce(), { env: "env-extra2", attachment: "platt-extra1" }) });
      assert.equal(created.status, 202);
    });
  });
});
