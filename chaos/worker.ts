// A chaos worker process: runs the schedules it is sent, one at a time, and reports each result.
import { crashedSchedule, runSchedule, type ScheduleResult } from "./schedule";

interface Job {
  seed: number;
  indexes: number[];
}

process.once("message", (job: Job) => {
  void (async () => {
    for (const index of job.indexes) {
      let result: ScheduleResult;
      try {
        result = await runSchedule(job.seed, index);
      } catch (e) {
        result = crashedSchedule(index, e);
      }
      process.send!(result);
    }
    process.disconnect();
  })();
});
