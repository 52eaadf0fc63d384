import type { CheckContext } from "./context.js";
import { tripwireProblems } from "./tripwire-match.js";
import { violation, type Violation } from "./violation.js";

/** The tripwire fires once per invalidated load, with the predicted reason, and at no other time. */
export function checkTripwireTiming({ history, predictions }: CheckContext): Violation[] {
  return history.steps.flatMap((record) =>
    tripwireProblems(record, predictions[record.index]!.tripwires).map(({ check, message }) =>
      violation(record.index, record.step.actor, check, `${record.step.op}: ${message}`),
    ),
  );
}
