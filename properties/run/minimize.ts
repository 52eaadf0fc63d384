import { ScheduleSchema, type Schedule } from "../../harness/schedule/schema.js";
import { findScheduleIssues } from "../../harness/schedule/validate.js";
import type { Counterexample } from "./counterexample.js";

/**
 * A last, deterministic pass after fast-check's shrinking: drop one step at a time, then
 * simplify options, keeping each change that still fails. Real runs are cheap enough for this,
 * and it turns "small" counterexamples into minimal ones.
 */
export async function minimize(
  found: Counterexample,
  stillFails: (schedule: Schedule) => Promise<Counterexample | undefined>,
): Promise<Counterexample> {
  let best = found;
  const attempt = async (candidate: Schedule): Promise<boolean> => {
    if (findScheduleIssues(candidate).length > 0 || !ScheduleSchema.safeParse(candidate).success) return false;
    const result = await stillFails(candidate);
    if (result) best = result;
    return result !== undefined;
  };
  for (let i = best.schedule.steps.length - 1; i >= 0; i--) {
    const steps = best.schedule.steps.filter((_, j) => j !== i);
    if (steps.length > 0) await attempt({ ...best.schedule, steps });
  }
  const options = best.schedule.options;
  const simpler = [
    { ...options, initial: null },
    { ...options, coarseClock: false },
    { ...options, externals: Math.max(0, options.externals - 1) },
    { ...options, gateways: Math.max(1, options.gateways - 1) },
  ];
  for (const option of simpler) {
    if (JSON.stringify(option) !== JSON.stringify(best.schedule.options))
      await attempt({ ...best.schedule, options: { ...best.schedule.options, ...option } });
  }
  return best;
}
