import { isGatewayStep } from "../../harness/schedule/schema.js";
import type { CheckContext } from "./context.js";
import { show, violation, type CheckId, type Violation } from "./violation.js";

/**
 * A store file that is not valid JSON is never overwritten: every writer that finds it rejects
 * with an error naming the file, and the bytes stay until an outside process repairs them.
 * (A writer that loaded before the bad edit and renames after it is `mid-flight-drift`.)
 */
export function checkUnparseableRefused({ history, predictions, closed }: CheckContext): Violation[] {
  const found: Violation[] = [];
  for (const record of history.steps) {
    const predicted = predictions[record.index]?.outcomes ?? [];
    const step = record.step;
    if (!isGatewayStep(step) || record.before.content.kind !== "unparseable") continue;
    if (step.op === "read" || step.op === "restart") continue;
    if (step.op === "resume" && !closed.has("mid-flight-drift")) continue;
    const at = (check: CheckId, message: string) =>
      violation(record.index, step.actor, check, `${step.op}: ${message}`);
    if (record.after.hash !== record.before.hash)
      found.push(
        at("overwrote-unparseable", `overwrote the unparseable store (${record.before.hash} -> ${record.after.hash})`),
      );
    const outcomes = record.end.kind === "done" ? record.end.outcomes : [];
    outcomes.forEach((outcome, i) => {
      // A resumed writer can fail before it meets the file (its mutator throws on the store it
      // loaded earlier) or hold nothing at all (its pause failed): the model says which errors
      // are the file's, and only those must name it.
      const want = predicted[i];
      const theFiles = want?.status === "error" && want.because === "unparseable";
      if (outcome.status === "ok")
        found.push(at("accepted-unparseable", `writer ${i} succeeded on an unparseable store`));
      else if (step.op === "resume" && !theFiles) return;
      else if (!outcome.error.message.includes(history.storePath)) {
        found.push(
          at("error-unnamed-file", `writer ${i} error does not name the file: ${show(outcome.error.message)}`),
        );
      }
    });
  }
  return found;
}
