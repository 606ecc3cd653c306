// The lifecycle model (model/): seeded sequences of user actions — program edits, changes made outside Pulumi, and
// preview, up, refresh, the drift check and destroy through the `pulumi` CLI on a project that installed the packed
// package — each step compared with the reference model. CI runs this small fixed set; `npm run model -- --runs N
// --seed S` runs a large one and writes its figures to docs/model.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkModel } from "../../model/check";

test("three seeded sequences of up to 12 actions match the lifecycle model step by step", async (t) => {
  const result = await checkModel({ runs: 3, seed: 20261206, maxCommands: 12, onSequence: (sequence, passed) => t.diagnostic(`${passed ? "ok" : "FAIL"}: ${sequence}`) });
  assert.ok(result.passed, `shrunk to: ${result.counterexample}\n${result.error}`);
  assert.equal(result.sequences, 3);
  assert.ok((result.commands.up ?? 0) > 0, "the sequences reached the engine");
});
