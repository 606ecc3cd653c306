// Code of the program that runs inside a connection's constructor (a stack transformation) makes Errors with their
// stacks: the connection's class does not take stack traces away from anything but the SDK's property promises.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

test("an Error made by a stack transformation while a connection is constructed keeps its stack", async () => {
  const p = await EngineProject.start("stack-transformation", { config: { vpcEndpointId: vpce() } });
  try {
    const preview = await p.pulumi(["preview"]);
    const line = /an Error made by the stack transformation has (\d+) stack frames(, index\.ts among them)?/.exec(preview.stdout);
    assert.ok(line, preview.stdout);
    assert.ok(Number(line[1]) > 0, line[0]);
    assert.ok(line[2], `the program's own frame is in it: ${line[0]}`);
    assert.equal(p.apiRequests(), 0, "a preview sends nothing");
  } finally {
    await p.dispose();
  }
});
