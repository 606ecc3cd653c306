// Azure resource ids are case-insensitive: an endpoint spelt in another case is the same endpoint, for the
// emulator's one-connection-per-endpoint rule (409) and for the provider's matching (adoption, reconciliation, diff).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AZURE_ATTACHMENT, CONNECTIONS, ENV, Harness, azureArgs, thrown, withHarness, type Props } from "../support/provider";

/** The same Azure private endpoint as `args`, spelt the way Azure spells it in some outputs. */
function otherCase(args: Props): Props {
  const id: string = args.azure.privateEndpointResourceId;
  return { ...args, azure: { privateEndpointResourceId: id.replace("/resourceGroups/", "/resourcegroups/").toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/") } };
}

/** A connection made outside the program, stored with the other spelling. */
function seedElsewhere(h: Harness, args: Props): string {
  return h.control.seedConnection({
    spec: {
      display_name: "made-in-console",
      cloud: { kind: "AzurePrivateLinkAttachmentConnection", private_endpoint_resource_id: otherCase(args).azure.privateEndpointResourceId },
      environment: { id: ENV },
      private_link_attachment: { id: AZURE_ATTACHMENT },
    },
    status: { phase: "READY" },
  }).id;
}

describe("an Azure endpoint differing only in case", () => {
  test("create without adoptExisting: 409 naming the existing connection, nothing created", async () => {
    await withHarness({}, async (h) => {
      const args = azureArgs();
      const existing = seedElsewhere(h, args);
      const error = await thrown(() => h.create(args));
      assert.match(error.message, /HTTP 409/);
      assert.ok(error.message.includes(existing), error.message);
      assert.match(error.message, /adoptExisting/);
      assert.deepEqual(h.control.connections().map((c) => c.id), [existing]);
    });
  });

  test("create with adoptExisting: adopts it (renamed to the program's name), no second connection", async () => {
    await withHarness({}, async (h) => {
      const args = azureArgs({ adoptExisting: true });
      const existing = seedElsewhere(h, args);
      const { id, outs, inputs } = await h.create(args);
      assert.equal(id, existing);
      assert.equal(outs.displayName, args.displayName);
      assert.deepEqual(h.control.connections().map((c) => c.id), [existing]);
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), [], "found by listing, the id compared without case: no POST");
      // The API's spelling in the outputs is not a change of endpoint.
      const diff = await h.provider.diff(id, Harness.state(outs), inputs);
      assert.equal(diff.changes, false, JSON.stringify(diff));
    });
  });

  test("reconciliation after a create lost in transit recognises its connection stored in the other case", async () => {
    await withHarness({}, async (h) => {
      const args = azureArgs();
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
      // What the API would hold had it applied the create and stored the id in its own spelling: the program's
      // name, stamped after the POST was sent (a minute later, so that nothing depends on how fast this runs).
      const ours = h.control.seedConnection({
        spec: {
          display_name: args.displayName,
          cloud: { kind: "AzurePrivateLinkAttachmentConnection", private_endpoint_resource_id: otherCase(args).azure.privateEndpointResourceId },
          environment: { id: ENV },
          private_link_attachment: { id: AZURE_ATTACHMENT },
        },
        status: { phase: "READY" },
        metadata: { created_at: new Date(Date.now() + 60_000).toISOString() },
      }).id;
      const { id } = await h.create(args);
      assert.equal(id, ours);
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), ["reset"], "found by the list: no second POST");
      assert.equal(h.count("GET", "collection"), 1);
    });
  });

  test("reconciliation after a create lost in transit names someone else's connection stored in the other case, as a 409 would", async () => {
    await withHarness({}, async (h) => {
      const args = azureArgs();
      h.control.injectFault({ method: "POST", path: CONNECTIONS, reset: true });
      const existing = seedElsewhere(h, args);
      const error = await thrown(() => h.create(args));
      assert.ok(error.message.includes(`already connected to ${AZURE_ATTACHMENT} by ${existing}`), error.message);
      assert.deepEqual(h.requests({ method: "POST" }).map((r) => r.status), ["reset"], "found by the list: no second POST");
      assert.deepEqual(h.control.connections().map((c) => c.id), [existing]);
    });
  });
});
