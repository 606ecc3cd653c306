// Parallel steps: the engine runs every resource of a deployment through ONE provider process, in parallel.
// The process-wide throttle must keep them under the server's rate limit, and retries must never duplicate.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Harness, awsArgs, testInGoneModes, withHarness } from "../support/provider";
import { basic } from "../support/http";

const N = 20;

describe("parallel creates under a tight rate limit", () => {
  for (const [label, spentElsewhere, max429] of [
    ["", 0, 5],
    // Another tool of the same organisation spends most of the window first: the provider only learns it from
    // the headers (and 429s), and must still finish everything without a duplicate.
    [", 25 of the first window spent by another client", 25, 40],
  ] as const) {
    test(`${N} creates at once through one provider (30 requests per 3 s window${label}): no failures, no duplicates`, async () => {
      await withHarness({ rateLimit: { requests: 30, windowMs: 3000 }, timing: { provisioningMs: 100, deprovisioningMs: 100 } }, async (h) => {
        const all = await Promise.all(Array.from({ length: N }, (_, i) => h.check(awsArgs({ displayName: `parallel-${i}` }))));
        const auth = basic(h.emulator.credentials.apiKey, h.emulator.credentials.apiSecret);
        for (let i = 0; i < spentElsewhere; i++) {
          const res = await fetch(`${h.emulator.url}/networking/v1/private-link-attachment-connections?environment=env-emu000`, { headers: { Authorization: auth } });
          assert.equal(res.status, 200);
        }
        h.control.clearRequests();
        const started = Date.now();
        const results = await Promise.allSettled(all.map((inputs) => h.provider.create(inputs)));
        const took = Date.now() - started;
        const failures = results.filter((r) => r.status === "rejected").map((r) => String(r.reason?.message));
        assert.deepEqual(failures, []);
        const ids = results.map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id);
        assert.equal(new Set(ids).size, N, "distinct ids");

        const connections = h.control.connections();
        assert.equal(connections.length, N, "exactly N connections on the server");
        assert.deepEqual(connections.map((c) => c.id).sort(), [...ids].sort());
        assert.deepEqual(connections.map((c) => c.endpointId).sort(), all.map((a) => a.aws.vpcEndpointId).sort(), "each endpoint once");
        assert.ok(connections.every((c) => c.phase === "READY"));

        const log = h.control.requests();
        const throttled = log.filter((r) => r.status === 429);
        const accepted = log.filter((r) => r.method === "POST" && r.status === 202);
        assert.equal(accepted.length, N, "one accepted POST per resource");
        assert.equal(log.filter((r) => r.method === "POST" && r.status === 409).length, 0);
        assert.ok(log.every((r) => r.status === 200 || r.status === 202 || r.status === 429), `statuses: ${[...new Set(log.map((r) => r.status))].join(",")}`);
        console.log(`# ${N} parallel creates${label}: ${log.length} requests (${throttled.length} answered 429), ${took} ms`);
        // The throttle follows the headers: a few 429s while it learns the window are fine, a storm is not.
        assert.ok(throttled.length <= max429, `${throttled.length} requests were answered 429`);
      });
    });
  }

  testInGoneModes(`${N} deletes at once: every one waits until it is gone, all gone`, async (gone) => {
    await withHarness({ ...gone, rateLimit: { requests: 60, windowMs: 3000 }, timing: { provisioningMs: 0, deprovisioningMs: 200 } }, async (h) => {
      const seeded = Array.from({ length: N }, () => h.control.seedConnection({
        spec: {
          cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: awsArgs().aws.vpcEndpointId },
          environment: { id: "env-emu000" },
          private_link_attachment: { id: "platt-emuaws" },
        },
        status: { phase: "READY" },
      }));
      const results = await Promise.allSettled(seeded.map((c) => h.provider.delete(c.id, Harness.state({ environment: { id: c.environmentId } }))));
      assert.deepEqual(results.filter((r) => r.status === "rejected").map((r) => String(r.reason)), []);
      assert.equal(h.control.connections().length, 0);
      assert.equal(h.count("DELETE", "item"), N);
    });
  });
});
