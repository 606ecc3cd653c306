// The late-applied create: a POST of ours fails in transit, the reconciliation list finds nothing, and only then
// does the API apply that POST (a slow backend). The POST sent again meets it as a 409: that is our connection.
// Deterministic: the emulator holds the first POST (fault applyAfterMs) and the test applies it at the moment the
// provider says it sends the create again — after its list, before its second POST.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FaultSpec } from "../../emulator";
import type { ProviderOptions } from "../../provider/connection/provider";
import { AWS_ATTACHMENT, CONNECTIONS, ENV, Harness, awsArgs, thrown, withHarness, type Props } from "../support/provider";

const RESENDING = /failed in transit and created nothing \(checked\); sending it again/;
const HELD = 600_000;

/** Runs fn with a provider whose "sending it again" line runs the hook (synchronously, before that POST). */
async function withResendHook(fn: (h: Harness, setHook: (hook: () => void) => void) => Promise<void>): Promise<void> {
  let hook: () => void = () => undefined;
  let harness: Harness | undefined;
  const providerOptions: ProviderOptions = {
    log: (level, line) => {
      harness?.lines.push({ level, line });
      if (RESENDING.test(line)) hook();
    },
  };
  await withHarness({}, async (h) => {
    harness = h;
    await fn(h, (next) => (hook = next));
  }, providerOptions);
}

describe("a create applied after its failed answer and after the reconciliation list", () => {
  const answers: [string, FaultSpec][] = [
    ["a connection reset", { reset: true }],
    ["a 503", { status: 503 }],
  ];
  for (const [answer, spec] of answers) {
    test(`answered with ${answer}: the 409 of the POST sent again is our connection; waited for READY and recorded`, async () => {
      await withResendHook(async (h, setHook) => {
        h.control.injectFault({ method: "POST", path: CONNECTIONS, applyAfterMs: HELD, ...spec });
        setHook(() => assert.deepEqual(h.control.applyLateRequests().map((r) => r.status), [202]));
        const args = awsArgs();
        const { id, outs } = await h.create(args);

        assert.deepEqual(h.control.connections().map((c) => c.id), [id], "one connection, the one the first POST made");
        const posts = h.requests({ method: "POST" });
        assert.deepEqual(posts.map((r) => [r.status, r.appliedStatus]), [[spec.reset ? "reset" : 503, 202], [409, undefined]]);
        assert.equal(h.count("GET", "collection"), 1, "the reconciliation list, which found nothing");
        assert.equal(outs.phase, "READY");
        assert.equal(outs.displayName, args.displayName);
        assert.deepEqual(outs.aws, args.aws);
        assert.equal(outs.adoptExisting, undefined, "not adopted: it is ours");
        assert.equal(h.count("PATCH", "item"), 0);
        assert.ok(
          h.lines.some((l) => l.line.includes(`${id}: the earlier create request for AWS endpoint ${args.aws.vpcEndpointId} failed in transit and was applied late`)),
          h.lines.map((l) => l.line).join("\n"),
        );
      });
    });
  }

  test("the create deadline passes while the 409's connection is looked at: it is still recognised, and kept as an init error", async () => {
    await withResendHook(async (h, setHook) => {
      h.control.injectFault({ method: "POST", path: CONNECTIONS, applyAfterMs: HELD, reset: true });
      setHook(() => {
        h.control.applyLateRequests();
        // The read of the connection the 409 names answers after timeouts.create = 2s has passed.
        h.control.injectFault({ method: "GET", path: `${CONNECTIONS}/*`, delayMs: 2500, count: 1 });
      });
      const args = awsArgs({ timeouts: { create: "2s" } });
      const error = await thrown(() => h.create(args));
      const [made] = h.control.connections();
      assert.ok(made, "the late create made a connection");
      assert.equal(error.id, made.id, "an init error carrying the connection's id: the stack keeps it, nothing is lost");
      assert.match(error.message, /timeouts\.create = 2s passed/);
      assert.equal(error.properties.phase, "PROVISIONING");

      // The next `pulumi up` resumes waiting for it.
      const { outs } = await h.provider.update(made.id, error.properties, await h.check({ ...args, timeouts: { create: "1m" } }));
      assert.equal(outs?.phase, "READY");
      assert.deepEqual(h.control.connections().map((c) => c.id), [made.id]);
    });
  });

  test("a 409 from a connection someone else made meanwhile (another name) is still refused, with how to adopt it", async () => {
    await withResendHook(async (h, setHook) => {
      const args: Props = awsArgs({ displayName: "mine" });
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
      let theirs = "";
      setHook(() => {
        theirs = h.control.seedConnection({
          spec: {
            display_name: "made-in-console",
            cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: args.aws.vpcEndpointId },
            environment: { id: ENV },
            private_link_attachment: { id: AWS_ATTACHMENT },
          },
          status: { phase: "READY" },
        }).id;
      });
      const error = await thrown(() => h.create(args));
      assert.match(error.message, new RegExp(`already connected to ${AWS_ATTACHMENT} by ${theirs}`));
      assert.match(error.message, /adoptExisting/);
      assert.equal(h.control.connection(theirs)!.displayName, "made-in-console");
    });
  });

  test("a 409 from an unnamed connection made before our first POST (the list did not show it) is not ours: refused, though nothing else tells them apart", async () => {
    await withResendHook(async (h, setHook) => {
      const { displayName: _, ...args } = awsArgs();
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
      const sentAfter = Date.now();
      let theirs = "";
      setHook(() => {
        theirs = h.control.seedConnection({
          spec: {
            cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: args.aws.vpcEndpointId },
            environment: { id: ENV },
            private_link_attachment: { id: AWS_ATTACHMENT },
          },
          status: { phase: "READY" },
          metadata: { created_at: new Date(sentAfter - 3_600_000).toISOString() },
        }).id;
      });
      const error = await thrown(() => h.create(args));
      assert.match(error.message, new RegExp(`already connected to ${AWS_ATTACHMENT} by ${theirs}`));
      assert.match(error.message, /adoptExisting: true/);
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), ["reset", 409]);
      assert.ok(!h.lines.some((l) => /applied late; this is the connection it made/.test(l.line)), "not taken for ours");
    });
  });

  test("without an earlier failure in transit, a 409 for the same name is still someone else's: refused", async () => {
    await withHarness({}, async (h) => {
      const args = awsArgs({ displayName: "same" });
      const { id: existing } = await h.create(args);
      const error = await thrown(() => h.create(args));
      assert.ok(error.message.includes(`by ${existing}`), error.message);
      assert.match(error.message, /adoptExisting/);
    });
  });
});
