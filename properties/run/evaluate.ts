import type { History } from "../../harness/history/types.js";
import type { ActorPool } from "../../harness/pool/pool.js";
import { runSchedule } from "../../harness/schedule/runner.js";
import type { Schedule } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import type { Violation } from "../checks/violation.js";
import type { PropertyDefinition } from "../definition.js";
import { predictHistory } from "../model/predict.js";

export type Evaluation = { history: History; violations: Violation[] };

/** Runs one schedule in real processes and checks its history against one property. */
export async function evaluate(
  property: PropertyDefinition,
  schedule: Schedule,
  pool: ActorPool,
  closed: ReadonlySet<LimitationId>,
): Promise<Evaluation> {
  const twin = property.againstThrowingEmitter
    ? await runSchedule({ ...schedule, options: { ...schedule.options, throwingEmitter: false } }, pool)
    : undefined;
  const history = await runSchedule(schedule, pool);
  const predictions = predictHistory(history, closed);
  return { history, violations: property.check({ history, predictions, closed, twin }) };
}

/** The limitations a store claims to have closed: the contract's three minus its `knownLimitations`. */
export function closedLimitations(knownLimitations: readonly string[] | null, all: readonly LimitationId[]): Set<LimitationId> {
  return new Set(knownLimitations === null ? [] : all.filter((id) => !knownLimitations.includes(id)));
}
