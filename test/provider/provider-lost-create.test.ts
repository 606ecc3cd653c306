// A create whose answer is lost, while the endpoint is served by a connection someone else made: what the
// reconciliation finds is not taken for the connection our request made unless our request can have made it (same
// environment, attachment, endpoint and display name, created no earlier than our first POST was sent, on the API's
// clock as its Date headers tell it). Anything else ends as a 409 would: an error naming it and adoptExisting, or
// with adoptExisting: true an adoption.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EmulatorOptions } from "../../emulator";
import { AWS_ATTACHMENT, CONNECTIONS, ENV, awsArgs, thrown, withHarness, type Harness, type Props } from "../support/provider";

/** Someone else's connection for the endpoint of `args`, made at `createdAt` (the emulator's clock). */
function theirs(h: Harness, args: Props, createdAt: number, displayName?: string): string {
  return h.control.seedConnection({
    spec: {
      ...(displayName !== undefined ? { display_name: displayName } : {}),
      cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: args.aws.vpcEndpointId },
      environment: { id: ENV },
      private_link_attachment: { id: AWS_ATTACHMENT },
    },
    status: { phase: "READY" },
    metadata: { created_at: new Date(createdAt).toISOString() },
  }).id;
}

/** An unnamed connection's args (the API then stores no display name: two of them differ in nothing but their time). */
function unnamed(extra: Props = {}): Props {
  const { displayName: _, ...args } = awsArgs(extra);
  return args;
}

/** The emulator on a clock that is `offsetMs` ahead of the provider's (behind when negative). */
function skewed(offsetMs: number): EmulatorOptions {
  return { clock: { now: () => Date.now() + offsetMs } };
}

const HOUR = 3_600_000;

describe("a create POST reset before it reached the API, the endpoint served by someone else's connection", () => {
  for (const [label, name] of [["both unnamed", undefined], ["both named the same", "same-name"]] as const) {
    test(`${label}, theirs made an hour earlier: the 409 error naming it and adoptExisting, theirs untouched`, async () => {
      await withHarness({}, async (h) => {
        const args = name === undefined ? unnamed() : awsArgs({ displayName: name });
        const existing = theirs(h, args, Date.now() - HOUR, name);
        h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
        const error = await thrown(() => h.create(args));
        assert.match(error.message, new RegExp(`already connected to ${AWS_ATTACHMENT} by ${existing}`));
        assert.match(error.message, /adoptExisting: true/);
        assert.equal(error.id, undefined, "not an init error: nothing of ours to keep in the stack");
        assert.deepEqual(h.control.connections().map((c) => [c.id, c.displayName ?? null]), [[existing, name ?? null]]);
        assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), ["reset"], "one POST: the endpoint is taken, nothing is sent again");
        assert.equal(h.count("PATCH", "item"), 0);
      });
    });
  }

  test("with adoptExisting: true it is adopted, reported as an adoption, and renamed to displayName", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "mine", adoptExisting: true });
      const existing = theirs(h, args, Date.now() - HOUR);
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
      const { id, outs } = await h.create(args);
      assert.equal(id, existing);
      assert.equal(outs.adoptExisting, true);
      assert.equal(outs.displayName, "mine");
      assert.equal(h.control.connection(existing)!.displayName, "mine");
      const lines = h.lines.map((l) => l.line);
      assert.ok(lines.some((l) => l.includes(`${existing}: adopting the existing connection for AWS endpoint ${args.aws.vpcEndpointId}`)), lines.join("\n"));
      assert.ok(!lines.some((l) => /the connection was created; continuing with it/.test(l)), "not reported as the one our request made");
    });
  });

  test("a POST applied before its answer was lost (reset after) is still recognised as ours", async () => {
    await withHarness({}, async (h) => {
      const args = unnamed();
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true, when: "after" });
      const { id, outs } = await h.create(args);
      assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      assert.equal(outs.adoptExisting, undefined);
      assert.ok(h.lines.some((l) => l.line.includes(`${id}: the create request failed in transit but the connection was created; continuing with it`)));
    });
  });
});

describe("the API's clock is not the provider's: created_at is compared on the API's clock (its Date headers)", () => {
  for (const [label, offset] of [["10 minutes ahead", 10 * 60_000], ["10 minutes behind", -10 * 60_000]] as const) {
    test(`API ${label}: our POST applied before its answer was lost is ours`, async () => {
      await withHarness(skewed(offset), async (h) => {
        h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true, when: "after" });
        const { id } = await h.create(unnamed());
        assert.deepEqual(h.control.connections().map((c) => c.id), [id]);
      });
    });

    test(`API ${label}: someone else's unnamed connection made 30 s before our POST (on the API's clock) is not`, async () => {
      await withHarness(skewed(offset), async (h) => {
        const args = unnamed();
        const existing = theirs(h, args, Date.now() + offset - 30_000);
        h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
        const error = await thrown(() => h.create(args));
        assert.match(error.message, new RegExp(`already connected to ${AWS_ATTACHMENT} by ${existing}`));
      });
    });
  }
});
