import { isDeepStrictEqual } from "node:util";
import type { CheckContext } from "./context.js";
import { show, violation, type CheckId, type Violation } from "./violation.js";

/**
 * Fail-open: with an emitter that throws, every writer ends the same way, the file holds the
 * same bytes after every step, and the same payloads are still handed over.
 */
export function checkFailOpen({ history, twin }: CheckContext): Violation[] {
  if (!twin) throw new Error("fail-open needs the twin run with a well-behaved emitter");
  const found: Violation[] = [];
  history.steps.forEach((record, i) => {
    const calm = twin.steps[i]!;
    const at = (check: CheckId, message: string) =>
      violation(record.index, record.step.actor, check, `${record.step.op} with a throwing emitter: ${message}`);
    const outcomes = (end: typeof record.end) =>
      end.kind === "done" ? end.outcomes.map((outcome) => outcome.status) : end.kind;
    if (!isDeepStrictEqual(outcomes(record.end), outcomes(calm.end))) {
      found.push(
        at("fail-open-outcome", `ended ${show(outcomes(record.end))}, without it ${show(outcomes(calm.end))}`),
      );
    }
    if (record.after.hash !== calm.after.hash)
      found.push(at("fail-open-file", `the file is ${record.after.hash}, without it ${calm.after.hash}`));
    const reasons = (list: unknown[]) => list.map((payload) => (payload as { reason?: unknown })?.reason);
    if (!isDeepStrictEqual(reasons(record.tripwires), reasons(calm.tripwires))) {
      found.push(
        at(
          "fail-open-payloads",
          `payloads ${show(reasons(record.tripwires))}, without it ${show(reasons(calm.tripwires))}`,
        ),
      );
    }
  });
  return found;
}
