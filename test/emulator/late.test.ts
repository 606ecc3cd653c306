// The fault `applyAfterMs`: a request answered with a reset or an error status at once, and applied later —
// a slow backend behind a failed answer, as the late-applied create meets it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ControlError } from "../../emulator/control";
import { awsBody, CONNECTIONS, ENV, sleep, withEmulator } from "../support/emulator";

describe("fault applyAfterMs", () => {
  test("reset: the client sees a socket error and nothing, until the control applies the request", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      const fault = emulator.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true, applyAfterMs: 600_000 });
      await assert.rejects(api.call(CONNECTIONS, { method: "POST", body: awsBody() }));
      assert.equal(emulator.control.connections().length, 0, "not applied yet");
      const [late, ...more] = emulator.control.lateRequests();
      assert.equal(more.length, 0);
      assert.deepEqual({ method: late!.method, path: late!.path, faultId: late!.faultId }, { method: "POST", path: CONNECTIONS, faultId: fault.id });

      const applied = await fetch(`${emulator.url}/_emulator/late/apply`, { method: "POST" });
      assert.equal(applied.status, 200);
      assert.deepEqual(await applied.json(), [{ seq: late!.seq, status: 202 }]);
      assert.equal(emulator.control.connections().length, 1, "applied");
      assert.deepEqual(emulator.control.lateRequests(), []);
      const [logged] = emulator.control.requests();
      assert.equal(logged!.status, "reset", "the answer the client got");
      assert.equal(logged!.appliedStatus, 202, "and what the API made of it later");
      assert.equal(emulator.control.requests().length, 1, "the late application is not a request of its own");
    });
  });

  test("status: the client gets the error at once; the request applies by itself after applyAfterMs", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      emulator.control.injectFault({ method: "POST", path: CONNECTIONS, status: 503, applyAfterMs: 50 });
      const answer = await api.call(CONNECTIONS, { method: "POST", body: awsBody(), unchecked: true }); // 503: a gateway in front, not the API
      assert.equal(answer.status, 503);
      assert.equal(emulator.control.connections().length, 0, "answered before it applied");
      for (let i = 0; i < 400 && emulator.control.lateRequests().length > 0; i++) await sleep(5);
      assert.deepEqual(emulator.control.lateRequests(), []);
      assert.equal(emulator.control.connections().length, 1);
      assert.equal((await api.call(`${CONNECTIONS}?environment=${ENV}`)).body.data.length, 1);
    });
  });

  test("reset() drops requests still waiting to apply", async () => {
    await withEmulator({}, async ({ emulator, api }) => {
      emulator.control.injectFault({ method: "POST", path: CONNECTIONS, status: 500, applyAfterMs: 600_000 });
      assert.equal((await api.call(CONNECTIONS, { method: "POST", body: awsBody() })).status, 500);
      emulator.control.reset();
      assert.deepEqual(emulator.control.lateRequests(), []);
      assert.deepEqual(emulator.control.applyLateRequests(), []);
      assert.equal(emulator.control.connections().length, 0);
    });
  });

  test("refused: without reset or status, with when, or not a duration", async () => {
    await withEmulator({}, async ({ emulator }) => {
      for (const spec of [{ applyAfterMs: 10 }, { applyAfterMs: 10, delayMs: 5 }, { reset: true, applyAfterMs: 10, when: "after" }, { status: 503, applyAfterMs: -1 }, { status: 503, applyAfterMs: "soon" }]) {
        assert.throws(() => emulator.control.injectFault(spec as never), (e: unknown) => e instanceof ControlError && e.status === 400, JSON.stringify(spec));
      }
    });
  });
});
