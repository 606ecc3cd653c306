import { test } from "node:test";
import assert from "node:assert/strict";

test("repo scripts run on Node 24 LTS brought from the npm registry", () => {
  assert.match(process.versions.node, /^24\./, `running on Node ${process.versions.node}`);
});
