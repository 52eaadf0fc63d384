import type { StepLockedHistory } from "../../harness/history/types.js";
import type { ActorPool } from "../../harness/pool/pool.js";
import { runSchedule, type RunOptions } from "../../harness/schedule/runner.js";
import type { Schedule } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import { checkHistory } from "../checks/check-history.js";
import type { Violation } from "../checks/violation.js";
import type { PropertyDefinition } from "../definition.js";

export type Evaluation = { history: StepLockedHistory; violations: Violation[] };

/** Where and on which clock the runs happen (e.g. a FAT mount, its own 2 s clock left alone). */
export type EvaluateRunOptions = Pick<RunOptions, "tmpRoot" | "fileClock">;

/** Runs one schedule in real processes and checks its history against one property. */
export async function evaluate(
  property: PropertyDefinition,
  schedule: Schedule,
  pool: ActorPool,
  closed: ReadonlySet<LimitationId>,
  runOptions: EvaluateRunOptions = {},
): Promise<Evaluation> {
  const twin = property.againstThrowingEmitter
    ? await runSchedule({ ...schedule, options: { ...schedule.options, throwingEmitter: false } }, pool, runOptions)
    : undefined;
  const history = await runSchedule(schedule, pool, runOptions);
  return {
    history,
    violations: checkHistory(history, {
      property: property.id,
      check: property.check,
      closed,
      ...(twin ? { twin } : {}),
    }).violations,
  };
}

/** The limitations a store claims to have closed: the contract's three minus its `knownLimitations`. */
export function closedLimitations(
  knownLimitations: readonly string[] | null,
  all: readonly LimitationId[],
): Set<LimitationId> {
  return new Set(knownLimitations === null ? [] : all.filter((id) => !knownLimitations.includes(id)));
}
