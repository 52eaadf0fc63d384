import type { Schedule } from "../../harness/schedule/schema.js";

/** Names for what a schedule does, e.g. `merge`, `pause:before-rename`, `write:bind-acp`. */
export function opTokens(schedule: Schedule): Set<string> {
  const tokens = new Set<string>();
  for (const step of schedule.steps) {
    tokens.add(step.op);
    if ("pause" in step && step.pause) tokens.add(`pause:${step.pause}`);
    if ("changes" in step) for (const change of step.changes) tokens.add(`${step.op}:${change.kind}`);
    if (step.op === "batch") for (const op of step.ops) tokens.add(op.op);
  }
  return tokens;
}
