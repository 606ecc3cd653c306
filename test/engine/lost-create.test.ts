// A create POST whose answer is lost while the endpoint is already served by a connection made outside Pulumi
// (an hour earlier, with the program's very display name): the provider must not take that connection for the one
// its request made. Without adoptExisting the up fails as a 409 would; with it, the connection is adopted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AWS_ATTACHMENT, CONNECTIONS, ENV, vpce } from "../support/emulator";
import { EngineProject, posts } from "../support/engine";

test("a reset create POST does not take over the endpoint's existing connection: the 409 error; adoptExisting: true adopts it", async () => {
  const endpoint = vpce();
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: endpoint } });
  try {
    const existing = p.emulator.control.seedConnection({
      spec: {
        display_name: "engine-aws",
        cloud: { kind: "AwsPrivateLinkAttachmentConnection", vpc_endpoint_id: endpoint },
        environment: { id: ENV },
        private_link_attachment: { id: AWS_ATTACHMENT },
      },
      status: { phase: "READY" },
      metadata: { created_at: new Date(Date.now() - 3_600_000).toISOString() },
    }).id;
    p.emulator.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });

    const failed = await p.pulumi(["up", "--yes"], { allowFailure: true });
    const output = failed.stdout + failed.stderr;
    assert.notEqual(failed.code, 0, output);
    assert.match(output, new RegExp(`AWS endpoint ${endpoint} is already connected to ${AWS_ATTACHMENT} by ${existing}`), output);
    assert.match(output, /Set adoptExisting: true on this resource/, output);
    const { resources } = await p.state();
    assert.deepEqual(resources.map((r) => r.id), [], "the stack does not hold the other connection");
    assert.equal(posts(p.emulator), 1, "the one reset POST, nothing sent again");
    assert.deepEqual(p.emulator.control.connections().map((c) => c.id), [existing]);

    // With adoptExisting the attachment's connections are listed before any POST: the one serving the endpoint is adopted.
    await p.config("adoptExisting", "true");
    const adopted = await p.pulumi(["up", "--yes"]);
    assert.match(adopted.stdout, new RegExp(`${existing}: adopting the existing connection for AWS endpoint ${endpoint} \\(adoptExisting\\)`), adopted.stdout);
    assert.deepEqual((await p.state()).resources.map((r) => r.id), [existing]);
    assert.equal(posts(p.emulator), 1, "adopted without a POST");
  } finally {
    await p.dispose();
  }
});
