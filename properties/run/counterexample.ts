import type { StepLockedHistory } from "../../harness/history/types.js";
import type { Schedule } from "../../harness/schedule/schema.js";
import type { Violation } from "../checks/violation.js";

/** A schedule that broke a property: its run's history and what was wrong with it. */
export type Counterexample = { schedule: Schedule; history: StepLockedHistory; violations: Violation[] };
