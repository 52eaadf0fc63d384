import { isGatewayStep, type Schedule, type Step } from "../../harness/schedule/schema.js";

/** Steps that change the file: a gateway's writer op, or any external op. */
const changesFile = (step: Step): boolean =>
  step.actor !== "clock" && (!isGatewayStep(step) || !["read", "restart", "resume"].includes(step.op));

/**
 * Names for what a schedule does, e.g. `merge`, `pause:before-rename`, `write:bind-acp`,
 * `same-second-edit:new-size`; `coarse:<op>` for an external op on the coarse clock (its mtime
 * may equal the last one); `interleaved-change` when another process changed the file between
 * a gateway's write and its next write or cached read (what a gateway's cache must notice).
 */
export function opTokens(schedule: Schedule): Set<string> {
  const tokens = new Set<string>();
  const wroteBefore = new Set<string>();
  const changedSince = new Set<string>();
  for (const step of schedule.steps) {
    tokens.add(step.op);
    if ("pause" in step && step.pause) tokens.add(`pause:${step.pause}`);
    if ("changes" in step) for (const change of step.changes) tokens.add(`${step.op}:${change.kind}`);
    if (step.op === "batch") for (const op of step.ops) tokens.add(op.op);
    if (step.op === "same-second-edit") tokens.add(`same-second-edit:${step.sameSize ? "same-size" : "new-size"}`);
    if (isGatewayStep(step) && step.op === "read" && !step.skipCache && changedSince.has(step.actor))
      tokens.add("interleaved-change");
    if (step.actor === "clock" || !changesFile(step)) continue;
    if (schedule.options.coarseClock && !isGatewayStep(step)) tokens.add(`coarse:${step.op}`);
    if (isGatewayStep(step) && changedSince.has(step.actor)) tokens.add("interleaved-change");
    for (const writer of wroteBefore) if (writer !== step.actor) changedSince.add(writer);
    if (isGatewayStep(step)) {
      wroteBefore.add(step.actor);
      changedSince.delete(step.actor);
    }
  }
  return tokens;
}
