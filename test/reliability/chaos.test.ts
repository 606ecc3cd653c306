// A fixed-seed subset of `npm run chaos`: the same schedules, in-process, judged as the run judges them.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { outcomeLine, summarize, SUCCEEDED_FLOOR, totalLosses, verdict } from "../../chaos/outcome";
import { drawSchedule, isSurvivable } from "../../chaos/plan";
import { runSchedule, type ScheduleResult } from "../../chaos/schedule";

const SEED = 1;
const SCHEDULES = 8;

/** One at a time, as in a worker: a schedule points the process's CONFLUENT_CLOUD_* at its own emulator. */
async function run(seed: number, count: number): Promise<ScheduleResult[]> {
  const results: ScheduleResult[] = [];
  for (let i = 0; i < count; i++) results.push(await runSchedule(seed, i));
  return results;
}

describe(`chaos: ${SCHEDULES} seeded schedules`, () => {
  let first: ScheduleResult[];
  before(async () => {
    first = await run(SEED, SCHEDULES);
  });

  test("lose, duplicate and orphan nothing, leak no credential, fail only clearly; every survivable schedule succeeds", (t) => {
    for (const r of first) t.diagnostic(`${outcomeLine(r)} (${r.ms} ms; faults: ${r.faults.join(", ") || "none"})`);
    const summary = summarize(first, SEED);
    const details = first.filter((r) => r.losses.length > 0).map((r) => ({ index: r.index, losses: r.losses }));
    assert.equal(totalLosses(summary), 0, JSON.stringify(details, null, 1));
    assert.equal(summary.succeeded + summary.failedClearly, SCHEDULES);
    assert.ok(summary.succeeded >= SUCCEEDED_FLOOR * SCHEDULES, `${summary.succeeded} of ${SCHEDULES} succeeded`);
    assert.equal(summary.survivableNotSucceeded, 0, "a survivable schedule did not succeed");
    assert.equal(summary.unsurvivableSucceeded, 0, "an unsurvivable fault did not take effect");
    assert.deepEqual(verdict(summary), []);
    // The subset exercises both ends: schedules that must succeed and schedules that must fail.
    assert.ok(summary.succeeded > 0 && summary.failedClearly > 0, JSON.stringify(summary));
  });

  test("a rerun of the same seed reproduces every schedule's outcome, step by step", async () => {
    const second = await run(SEED, SCHEDULES);
    assert.deepEqual(second.map(outcomeLine), first.map(outcomeLine));
    assert.deepEqual(second.map((r) => r.faults), first.map((r) => r.faults));
  });
});

test("the plan alone says whether a schedule is survivable; another seed draws other schedules", () => {
  const plans = Array.from({ length: 200 }, (_, i) => drawSchedule(SEED, i));
  assert.deepEqual(plans, Array.from({ length: 200 }, (_, i) => drawSchedule(SEED, i)), "drawn from (seed, index) only");
  const survivable = plans.filter(isSurvivable).length;
  assert.ok(survivable > 0.6 * plans.length && survivable < plans.length, `${survivable} of ${plans.length} survivable`);
  assert.notDeepEqual(drawSchedule(SEED + 1, 0), plans[0]);
});

test("within 1000 schedules, every lifecycle fault of both kinds is drawn, and connections on a new attachment of each cloud", () => {
  const plans = Array.from({ length: 1000 }, (_, i) => drawSchedule(SEED, i));
  const connectionFaults = new Set(plans.flatMap((p) => p.resources.map((r) => r.fault)));
  const attachmentFaults = new Set(plans.map((p) => p.attachment?.fault));
  for (const fault of ["failedWhileCreating", "neverReady", "deletedWhileCreating", "deleteOutlastsTimeout", "disconnectedAfterReady", "slowProvisioning", "renamedWhileCreating", "renamedAfterReady"]) {
    assert.ok(connectionFaults.has(fault as never), `connection fault ${fault}`);
  }
  for (const fault of ["failedWhileCreating", "neverServing", "deletedWhileCreating", "deleteOutlastsTimeout", "expiredAfterServing", "slowProvisioning", "renamedWhileCreating", "renamedAfterServing"]) {
    assert.ok(attachmentFaults.has(fault as never), `attachment fault ${fault}`);
  }
  const onNew = plans.filter((p) => p.attachment && p.resources.some((r) => r.attachmentId === undefined));
  assert.deepEqual(new Set(onNew.map((p) => p.attachment!.cloud)), new Set(["aws", "azure", "gcp"]));
  for (const p of onNew) for (const r of p.resources.filter((c) => c.attachmentId === undefined)) assert.equal(r.cloud, p.attachment!.cloud);
  assert.ok(plans.some((p) => p.wireFaults.some((f) => f.path?.startsWith("/networking/v1/private-link-attachments") && f.applyAfterMs !== undefined)), "a late attachment create");
});
