// What a connection that is gone answers: 404 by default, or 403 `Forbidden Access` as production answers it
// (`goneAs403`, on in quirks mode) — deleted, never existed, or of another environment the caller can see.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Emulator, EmulatorOptions } from "../../emulator";
import type { Caller, Reply } from "../support/http";
import { awsBody, CONNECTIONS, ENV, ManualClock, withEmulator } from "../support/emulator";

const OTHER_ENV = "env-other";

/** Every way a connection can be gone, and a live one of another environment. */
async function goneIds(emulator: Emulator, api: Caller): Promise<Record<string, { id: string; env: string }>> {
  emulator.control.addEnvironment(OTHER_ENV);
  const made = async () => (await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).body.id as string;
  const deleted = await made();
  emulator.control.deleteConnection(deleted);
  const deprovisioned = await made();
  assert.equal((await api.call(`${CONNECTIONS}/${deprovisioned}?environment=${ENV}`, { method: "DELETE" })).status, 204);
  emulator.control.configure({ timing: { deprovisioningMs: 0 } });
  return {
    "deleted out-of-band": { id: deleted, env: ENV },
    "deleted through the API (deprovisioning over)": { id: deprovisioned, env: ENV },
    "never existed": { id: "plattc-nosuch", env: ENV },
    "of another environment": { id: await made(), env: OTHER_ENV },
  };
}

function requests(id: string, env: string): [string, string, unknown][] {
  return [
    ["GET", `${CONNECTIONS}/${id}?environment=${env}`, undefined],
    ["PATCH", `${CONNECTIONS}/${id}`, { spec: { display_name: "x", environment: { id: env } } }],
    ["DELETE", `${CONNECTIONS}/${id}?environment=${env}`, undefined],
  ];
}

function assertForbiddenAccess(reply: Reply, what: string): void {
  assert.equal(reply.status, 403, `${what}: ${reply.text}`);
  const [error, ...more] = reply.body.errors;
  assert.equal(more.length, 0);
  assert.equal(error.status, "403");
  assert.equal(error.detail, "Forbidden Access");
  assert.equal(typeof error.id, "string");
  assert.doesNotMatch(reply.text, /invalid API key/i, "not the body of a bad key");
  assert.ok(reply.headers.get("x-request-id"), "X-Request-Id");
}

const modes: [string, EmulatorOptions, 403 | 404][] = [
  ["strict, default", {}, 404],
  ["strict, goneAs403", { goneAs403: true }, 403],
  ["quirks, default", { quirks: true }, 403],
  ["quirks, goneAs403 false", { quirks: true, goneAs403: false }, 404],
];

describe("a connection that is gone", () => {
  for (const [mode, options, status] of modes) {
    test(`${mode}: GET, PATCH and DELETE answer ${status}; the list answers without it`, async () => {
      await withEmulator({ ...options, timing: { deprovisioningMs: 60_000 } }, async ({ emulator, api }) => {
        assert.equal(emulator.goneAs403, status === 403);
        const gone = await goneIds(emulator, api);
        for (const [what, { id, env }] of Object.entries(gone)) {
          for (const [method, url, body] of requests(id, env)) {
            const reply = await api.call(url, { method, body });
            if (status === 403) assertForbiddenAccess(reply, `${what}: ${method}`);
            else assert.equal(reply.status, 404, `${what}: ${method}: ${reply.text}`);
          }
          const listed = (await api.call(`${CONNECTIONS}?environment=${env}`)).body.data.map((c: { id: string }) => c.id);
          assert.ok(!listed.includes(id), `${what}: not listed in ${env}`);
        }
      });
    });
  }

  test("goneAs403: a live connection, and one still DEPROVISIONING, answer as before", async () => {
    await withEmulator({ goneAs403: true, timing: { deprovisioningMs: 60_000 } }, async ({ api }) => {
      const live = (await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).body.id;
      assert.equal((await api.call(`${CONNECTIONS}/${live}?environment=${ENV}`)).status, 200);
      assert.equal((await api.call(`${CONNECTIONS}/${live}?environment=${ENV}`, { method: "DELETE" })).status, 204);
      assert.equal((await api.call(`${CONNECTIONS}/${live}?environment=${ENV}`)).body.status.phase, "DEPROVISIONING");
      assert.equal((await api.call(`${CONNECTIONS}/${live}?environment=${ENV}`, { method: "DELETE" })).status, 204);
      // An unknown environment keeps its own 403, which names the environment.
      const unknownEnv = await api.call(`${CONNECTIONS}/${live}?environment=env-nosuch`);
      assert.equal(unknownEnv.status, 403);
      assert.match(unknownEnv.body.errors[0].detail, /env-nosuch/);
    });
  });

  test("goneAs403 through the control: config sets it (null follows quirks again), info shows it, reset restores it", async () => {
    const clock = new ManualClock();
    await withEmulator({ clock }, async ({ emulator, api }) => {
      const read = () => api.call(`${CONNECTIONS}/plattc-nosuch?environment=${ENV}`);
      assert.equal(emulator.control.info().goneAs403, false);
      assert.equal((await read()).status, 404);

      const on = await fetch(`${emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ goneAs403: true }) });
      assert.equal(on.status, 200);
      assert.equal(((await on.json()) as { goneAs403: boolean }).goneAs403, true);
      assert.equal((await read()).status, 403);

      emulator.control.configure({ goneAs403: false, quirks: true });
      assert.equal(emulator.goneAs403, false, "set explicitly: quirks mode does not override it");
      emulator.control.configure({ goneAs403: null });
      assert.equal(emulator.goneAs403, true, "null: follows quirks mode");
      emulator.control.configure({ quirks: false });
      assert.equal(emulator.goneAs403, false);

      emulator.control.configure({ goneAs403: true });
      emulator.control.reset();
      assert.equal(emulator.control.info().goneAs403, false);
      assert.equal((await read()).status, 404);

      const refused = await fetch(`${emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ goneAs403: "yes" }) });
      assert.equal(refused.status, 400);
      assert.equal(emulator.goneAs403, false, "a refused change changes nothing");
    });
  });
});
