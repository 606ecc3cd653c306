// `pulumi destroy` of a connection whose state holds a timeouts.delete that does not parse (edited by hand, via
// `pulumi stack export` / `pulumi stack import`): the destroy goes ahead with the default and says so on the row.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { vpce } from "../support/emulator";
import { EngineProject } from "../support/engine";

test("an unparseable timeouts.delete in the state: destroy deletes with the default 2h and warns, naming the value and the property", async () => {
  const p = await EngineProject.start("one-connection", { config: { vpcEndpointId: vpce() } });
  try {
    await p.pulumi(["up", "--yes"]);
    const [id] = p.emulator.control.connections().map((c) => c.id);

    const { text } = await p.project.exportState();
    const exported = JSON.parse(text) as { deployment: { resources: { type: string; outputs?: Record<string, any> }[] } };
    const resource = exported.deployment.resources.find((r) => r.type.endsWith(":PrivateLinkAttachmentConnection"))!;
    assert.deepEqual(resource.outputs?.timeouts, { create: "10m" });
    resource.outputs.timeouts = { ...resource.outputs.timeouts, delete: "two hours" };
    const file = path.join(p.project.root, "edited-state.json");
    writeFileSync(file, JSON.stringify(exported));
    await p.pulumi(["stack", "import", "--file", file]);
    assert.deepEqual((await p.state()).resources[0]?.outputs?.timeouts, { create: "10m", delete: "two hours" });

    const destroyed = await p.pulumi(["destroy", "--yes"]);
    assert.deepEqual(p.emulator.control.connections(), [], "deleted");
    assert.deepEqual((await p.state()).resources, []);
    assert.match(
      destroyed.stdout,
      /warning: timeouts\.delete = "two hours" in the stack's state does not parse \(.*\); using 2h, the default/,
      destroyed.stdout,
    );
    // On the resource's own row (the diagnostics group it under the resource), not as a stack-level message.
    assert.match(destroyed.stdout, new RegExp(`PrivateLinkAttachmentConnection \\(aws\\):\\n\\s+warning: timeouts\\.delete`), destroyed.stdout);
    assert.ok(id);
  } finally {
    await p.dispose();
  }
});
