// A chaos worker process: runs the schedules it is sent, one at a time, and reports each result.
import { describeFaults, drawSchedule, isSurvivable } from "./plan";
import { runPlan, type ScheduleResult } from "./schedule";

interface Job {
  seed: number;
  indexes: number[];
}

process.once("message", (job: Job) => {
  void (async () => {
    for (const index of job.indexes) {
      const plan = drawSchedule(job.seed, index);
      let result: ScheduleResult;
      try {
        result = await runPlan(plan);
      } catch (e) {
        result = {
          index, survivable: isSurvivable(plan), outcome: "crashed", steps: [], faults: describeFaults(plan), clearErrors: [], attachment: plan.attachment !== undefined, copiesRemoved: 0, ms: 0,
          losses: [{ kind: "crashed", detail: `the schedule itself failed: ${(e as Error)?.stack ?? String(e)}` }],
        };
      }
      process.send!(result);
    }
    process.disconnect();
  })();
});
