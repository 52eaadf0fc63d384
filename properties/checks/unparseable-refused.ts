import type { CheckContext } from "./context.js";
import { show, violation, type Violation } from "./violation.js";

/**
 * A store file that is not valid JSON is never overwritten: every writer that finds it rejects
 * with an error naming the file, and the bytes stay until an outside process repairs them.
 * (A writer that loaded before the bad edit and renames after it is `mid-flight-drift`.)
 */
export function checkUnparseableRefused({ history, closed }: CheckContext): Violation[] {
  const found: Violation[] = [];
  for (const record of history.steps) {
    const step = record.step;
    if (!step.actor.startsWith("g") || record.before.content.kind !== "unparseable") continue;
    if (step.op === "read" || step.op === "restart") continue;
    if (step.op === "resume" && !closed.has("mid-flight-drift")) continue;
    const at = (message: string) => violation(record.index, step.actor, `${step.op}: ${message}`);
    if (record.after.hash !== record.before.hash) found.push(at(`overwrote the unparseable store (${record.before.hash} -> ${record.after.hash})`));
    const outcomes = record.end.kind === "done" ? record.end.outcomes : [];
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "ok") found.push(at(`writer ${i} succeeded on an unparseable store`));
      else if (!outcome.error.message.includes(history.storePath)) {
        found.push(at(`writer ${i} error does not name the file: ${show(outcome.error.message)}`));
      }
    });
  }
  return found;
}
