import type { StepLockedHistory } from "../../harness/history/types.js";
import type { LimitationId } from "../../src/types.js";
import type { StepPrediction } from "../model/types.js";

/** What every check reads: the recorded history and the model's predictions for it. */
export type CheckContext = {
  history: StepLockedHistory;
  predictions: StepPrediction[];
  /** Limitations the store claims to have fixed. */
  closed: ReadonlySet<LimitationId>;
  /** For fail-open: the same schedule run with a well-behaved emitter. */
  twin?: StepLockedHistory;
};
