import type { FreeRunningHistory, History, StepLockedHistory } from "../../harness/history/types.js";
import type { LimitationId } from "../../src/types.js";
import { resolvePredictions } from "./resolve.js";
import type { CheckContext } from "./context.js";
import { checkFreeRunning, type FreeRunningReport } from "./free-running.js";
import { show, violation, type Violation } from "./violation.js";
import { crossCheck } from "./versions/cross-check.js";

/** What a step-locked history is checked against: one property's check, with what the model needs. */
export type StepLockedCheck = {
  /** The property under check (its id): the version oracle's lost writes count where they break it. */
  property: string;
  check: (ctx: CheckContext) => Violation[];
  /** Limitations the store claims to have fixed. */
  closed: ReadonlySet<LimitationId>;
  /** For fail-open: the same schedule run with a well-behaved emitter. */
  twin?: StepLockedHistory;
  /** For tests only: stands in for the model's prediction, to show that the version oracle catches a wrong one. */
  predict?: typeof resolvePredictions;
};

/** What was found: the violations, and for a free-running history the figures behind them. */
export type HistoryVerdict = { violations: Violation[]; freeRunning: FreeRunningReport | null };

/**
 * The one way into the checks for a history of either mode. A step-locked history goes through
 * the model and the property's check, beside the version oracle; a free-running one through what can be checked without a
 * schedule (`checkFreeRunning`). In both, a tripwire no step could be given is a violation.
 */
export function checkHistory(history: FreeRunningHistory): HistoryVerdict & { freeRunning: FreeRunningReport };
export function checkHistory(history: StepLockedHistory, how: StepLockedCheck): HistoryVerdict;
export function checkHistory(history: History, how?: StepLockedCheck): HistoryVerdict;
export function checkHistory(history: History, how?: StepLockedCheck): HistoryVerdict {
  const unattributed = unattributedTripwires(history);
  if (history.mode === "free-running") {
    const report = checkFreeRunning(history);
    return { violations: [...report.problems, ...unattributed], freeRunning: report };
  }
  if (!how)
    throw new TypeError(
      "a step-locked history is checked against a property: pass its check and the closed limitations",
    );
  const predictions = (how.predict ?? resolvePredictions)(history, how.closed);
  const found = how.check({ history, predictions, closed: how.closed, ...(how.twin ? { twin: how.twin } : {}) });
  // The second oracle, which needs no model: its lost writes, and where the two disagree.
  return { violations: [...found, ...crossCheck(history, how.property, found), ...unattributed], freeRunning: null };
}

/** A payload that reached the parent after every step that could have emitted it was recorded. */
function unattributedTripwires(history: History): Violation[] {
  return history.unattributedTripwires.map(({ actor, pid, payload }) =>
    violation(
      -1,
      actor,
      "unattributed-tripwire",
      `unattributed tripwire: pid ${pid} emitted ${show(payload)} after the step that caused it was recorded`,
    ),
  );
}
