import { isGatewayStep, type Schedule } from "./schema.js";

/** A rule a schedule breaks, with the JSON path of the offending field. */
export type ScheduleIssue = { path: string; message: string };

/**
 * The rules zod cannot see: every actor exists, and a gateway holding a paused writer takes
 * no other writer step until it is resumed (its queue would wait forever) and no second pause.
 */
export function findScheduleIssues(schedule: Schedule): ScheduleIssue[] {
  const issues: ScheduleIssue[] = [];
  const paused = new Set<string>();
  schedule.steps.forEach((step, index) => {
    const at = (field: string) => `steps[${index}].${field}`;
    if (step.actor === "clock") {
      if (!schedule.options.coarseClock) issues.push({ path: at("op"), message: "tick needs options.coarseClock" });
      return;
    }
    const number = Number(step.actor.slice(1));
    const limit = isGatewayStep(step) ? schedule.options.gateways : schedule.options.externals;
    if (number >= limit) {
      const which = isGatewayStep(step) ? "gateways" : "externals";
      issues.push({ path: at("actor"), message: `${step.actor} does not exist: options.${which} is ${limit}` });
      return;
    }
    if (!isGatewayStep(step)) return;
    switch (step.op) {
      case "read":
        return;
      case "restart":
        paused.delete(step.actor);
        return;
      case "resume":
        if (!paused.delete(step.actor))
          issues.push({ path: at("op"), message: `${step.actor} has no paused writer to resume` });
        return;
      default:
        if (paused.has(step.actor)) {
          issues.push({ path: at("op"), message: `${step.actor} holds a paused writer: resume or restart it first` });
        } else if ("pause" in step && step.pause) {
          paused.add(step.actor);
        }
    }
  });
  return issues;
}
