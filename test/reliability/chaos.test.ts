// A fixed-seed subset of `npm run chaos`: the same schedules, in-process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { summarize } from "../../chaos/run";
import { runSchedule, type ScheduleResult } from "../../chaos/schedule";

const SEED = 1;
const SCHEDULES = 8;

test(`chaos: ${SCHEDULES} seeded fault schedules lose, duplicate and orphan nothing, and leak no credential`, async (t) => {
  const results: ScheduleResult[] = [];
  // One at a time, as in a worker: a schedule points the process's CONFLUENT_CLOUD_* at its own emulator.
  for (let i = 0; i < SCHEDULES; i++) results.push(await runSchedule(SEED, i));
  for (const r of results) t.diagnostic(`schedule ${r.index}: ${r.ms} ms, faults: ${r.faults.join(", ") || "none"}; clear errors: ${r.expectedErrors.length}`);
  const faults = results.flatMap((r) => r.faults);
  assert.ok(faults.length >= SCHEDULES, `the schedules injected faults (${faults.length})`);
  const details = results.filter((r) => r.lost.length + r.duplicates.length + r.orphans.length + r.unexpectedErrors.length + r.credentialLeaks.length > 0);
  assert.deepEqual(summarize(results, SEED), { schedules: SCHEDULES, seed: SEED, lost: 0, duplicates: 0, orphans: 0, unexpectedErrors: 0, credentialLeaks: 0 }, JSON.stringify(details, null, 1));
});

test("a schedule is reproducible from its seed and index", async () => {
  const [a, b] = [await runSchedule(42, 3), await runSchedule(42, 3)];
  assert.deepEqual(a.faults, b.faults);
});
