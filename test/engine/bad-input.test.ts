// A bad argument under the `pulumi` CLI: preview fails at check, naming the input and the nested field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EngineProject } from "../support/engine";

test("a malformed VPC endpoint id fails the preview with the field named and the value shown, before any request", async () => {
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: "vpce-NOT-HEX" } });
  try {
    const preview = await p.pulumi(["preview"], { allowFailure: true });
    assert.notEqual(preview.code, 0);
    const text = preview.stdout + preview.stderr;
    assert.match(text, /aws\.vpcEndpointId must be a VPC endpoint id/, text);
    assert.match(text, /vpce-NOT-HEX/, "the offending value is shown");
    assert.doesNotMatch(text, /<nil>/, "the engine found the property it was told");
    assert.equal(p.apiRequests(), 0);
  } finally {
    await p.dispose();
  }
});
