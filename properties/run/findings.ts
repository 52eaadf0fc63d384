import type { StepLockedHistory } from "../../harness/history/types.js";
import { isGatewayActor, type Schedule } from "../../harness/schedule/schema.js";
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
  a.property === b.property &&
  a.check === b.check &&
  a.ops.length === b.ops.length &&
  a.ops.every((op, i) => op === b.ops[i]);

/** One line for a signature: `no-lost-update/content [merge, write]`. */
export const showSignature = (signature: FindingSignature): string =>
  `${signature.property}/${signature.check} [${signature.ops.join(", ")}]`;

/**
 * What tells two defects apart before a run is shrunk, as a fuzzer buckets crashes by the
 * frames they happen in: the check its first violation (in step order) failed, the kind of
 * step that failed it, and what shaped the failing process's state last: a read, a resume of a
 * held writer, a restart, or anything else (`STATE_SHAPERS`). Every failure on an unparseable
 * file is one defect. A later
 * violation of the same run (a lost update's wrong content after the wrong outcome that caused
 * it) is that failure's consequence, not another defect. Two defects of one store that fail the
 * same check (a read's load seeding the writer cache; a skipped write recording a stat that is
 * not its load's) differ in what the process did first, so each is reported on its own. The
 * checks that see a missing update count as one (`LOST_UPDATE`), and a lost write is placed at
 * the write that dropped it.
 */
export type DefectKey = { check: CheckId; family: string; at: string; after: string };

/** The steps after which a process holds state no writer of its own made; every other step is a write. */
const STATE_SHAPERS = new Set(["read", "resume", "restart"]);
const kindOf = (step: Schedule["steps"][number] | undefined): string =>
  step === undefined ? "-" : STATE_SHAPERS.has(step.op) ? step.op : isGatewayActor(step.actor) ? "write" : step.op;

/**
 * The checks that see one thing, an update missing from the file or a read: the model's
 * content and ACP checks and the version oracle's lost write. One lost update often fails two
 * of them, at the same write, so for telling defects apart they are one check.
 */
const LOST_UPDATE = new Set<CheckId>(["content", "acp", "lost-write"]);

/** Where a violation happened: a lost write at the write that dropped it, not the one it lost. */
function placeOf(
  found: Violation,
  schedule: Schedule,
): { step: number; actor: string; check: CheckId; family: string } {
  const { check } = found;
  const family = LOST_UPDATE.has(check) ? "lost-update" : check;
  if (found.lostWrite === undefined) return { step: found.step, actor: found.actor, check, family };
  const step = found.lostWrite.droppedAt;
  return { step, actor: schedule.steps[step]?.actor ?? found.actor, check, family };
}

export function defectKeyOf(violations: readonly Violation[], history: StepLockedHistory): DefectKey | undefined {
  const schedule = history.schedule;
  // At one step, the version oracle's lost write first: it names the write that dropped the update.
  const first = violations
    .map((found) => placeOf(found, schedule))
    .sort((a, b) => a.step - b.step || Number(b.check === "lost-write") - Number(a.check === "lost-write"))[0];
  if (!first) return undefined;
  // Whatever a store does with an unparseable file breaks the one rule the contract has for it.
  if (history.steps[first.step]?.before.content.kind === "unparseable")
    return { check: first.check, family: first.family, at: "an unparseable file", after: "-" };
  const step = schedule.steps[first.step];
  const before = schedule.steps
    .slice(0, Math.max(first.step, 0))
    .filter((earlier) => earlier.actor === first.actor)
    .at(-1);
  const after = kindOf(before);
  return {
    check: first.check,
    family: first.family,
    at: step?.actor === first.actor ? kindOf(step) : "-",
    after: STATE_SHAPERS.has(after) ? after : "-",
  };
}

const keyText = (key: DefectKey): string => `${key.family} at ${key.at} after ${key.after}`;

/** The run's defect key, if it is not one already found (`found` holds `keyText`s). */
export const freshDefect = (
  violations: readonly Violation[],
  history: StepLockedHistory,
  found: ReadonlySet<string>,
): DefectKey | undefined => {
  const key = defectKeyOf(violations, history);
  return key !== undefined && !found.has(keyText(key)) ? key : undefined;
};

export const defectText = keyText;
