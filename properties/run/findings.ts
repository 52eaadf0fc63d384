import type { Schedule } from "../../harness/schedule/schema.js";
import type { CheckId, Violation } from "../checks/violation.js";

/** How many distinct findings `explore` reports per property unless told (`--findings N`). */
export const DEFAULT_FINDINGS = 5;

/**
 * What tells two findings apart, as a fuzzer tells crashes apart by where they happen and not
 * by the bytes that caused them: the property, the check that failed, and the kinds of
 * operation in the shrunk counterexample (sorted, each once). Values never count.
 */
export type FindingSignature = { property: string; check: CheckId; ops: string[] };

export function signatureOf(property: string, check: CheckId, schedule: Schedule): FindingSignature {
  return { property, check, ops: [...new Set(schedule.steps.map((step) => step.op))].sort() };
}

export const sameSignature = (a: FindingSignature, b: FindingSignature): boolean =>
  a.property === b.property && a.check === b.check && a.ops.length === b.ops.length && a.ops.every((op, i) => op === b.ops[i]);

/** One line for a signature: `no-lost-update/content [merge, write]`. */
export const showSignature = (signature: FindingSignature): string => `${signature.property}/${signature.check} [${signature.ops.join(", ")}]`;

/**
 * The check that failed in a run: its first violation's, in step order. A run is worth a new
 * finding when that check has not been found yet; a later violation of the same run (a lost
 * update's wrong content after the wrong outcome that caused it) is that failure's
 * consequence, not another kind.
 */
export const failedCheck = (violations: readonly Violation[]): CheckId | undefined =>
  [...violations].sort((a, b) => a.step - b.step)[0]?.check;

/** The run's failed check, if it is not one already found. */
export const freshCheck = (violations: readonly Violation[], found: ReadonlySet<CheckId>): CheckId | undefined => {
  const check = failedCheck(violations);
  return check !== undefined && !found.has(check) ? check : undefined;
};
