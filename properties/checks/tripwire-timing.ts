import type { CheckContext } from "./context.js";
import { show, violation, type Violation } from "./violation.js";

/** The tripwire fires once per invalidated load, with the predicted reason, and at no other time. */
export function checkTripwireTiming({ history, predictions }: CheckContext): Violation[] {
  const found: Violation[] = [];
  for (const record of history.steps) {
    const expected = predictions[record.index]!.tripwires;
    const got = record.tripwires;
    const reasons = got.map((payload) => (payload as { reason?: unknown })?.reason);
    if (got.length !== expected.length) {
      const wanted = expected.map((tripwire) => (tripwire.kind === "contract" ? tripwire.reason : `(${tripwire.limitation})`));
      found.push(violation(record.index, record.step.actor, "tripwire-count", `${record.step.op}: expected ${expected.length} tripwire(s) ${show(wanted)}, got ${got.length} ${show(reasons)}`));
      continue;
    }
    expected.forEach((tripwire, i) => {
      if (tripwire.kind === "contract" && reasons[i] !== tripwire.reason) {
        found.push(violation(record.index, record.step.actor, "tripwire-reason", `${record.step.op}: tripwire ${i} reason ${show(reasons[i])}, expected ${show(tripwire.reason)}`));
      }
    });
  }
  return found;
}
