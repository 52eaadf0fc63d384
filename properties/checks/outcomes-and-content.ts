import { isDeepStrictEqual } from "node:util";
import type { History, StepRecord } from "../../harness/history/types.js";
import type { StepPrediction } from "../model/types.js";
import type { CheckContext } from "./context.js";
import { show, violation, type CheckId, type Violation } from "./violation.js";

/**
 * No update is lost: every operation ends as the model predicts, and after every step the file
 * holds exactly the predicted store (parsed), or is byte for byte unchanged where nothing may
 * have written.
 */
export function checkOutcomesAndContent({ history, predictions }: CheckContext): Violation[] {
  const rules = rulesOf(history);
  return history.steps.flatMap((record) => {
    const at = (check: CheckId) => (message: string) =>
      violation(record.index, record.step.actor, check, `${record.step.op}: ${message}`);
    const prediction = predictions[record.index]!;
    return [
      ...endProblems(record, prediction, rules).map(at("outcome")),
      ...contentProblems(record, prediction, rules).map(({ check, message }) => at(check)(message)),
    ];
  });
}

/**
 * What the checks take from the store's declarations: the file an error must name, the words of
 * its conflict error, and whether its files' bytes are not the store (a database: pages,
 * checkpoints and the file's creation on open change bytes, not content; missing is empty).
 */
export type CheckRules = { storePath: string; conflictError?: string; contentOnly: boolean };

export const rulesOf = (history: Pick<History, "storePath" | "capabilities">): CheckRules => ({
  storePath: history.storePath,
  ...(history.capabilities.conflictError ? { conflictError: history.capabilities.conflictError } : {}),
  contentOnly: history.capabilities.serialization === "sqlite",
});

/** How the step ended against the prediction: held or not, blocked or not, each outcome. */
export function endProblems(record: StepRecord, prediction: StepPrediction, rules: CheckRules): string[] {
  const held = record.end.kind === "paused" ? record.end.checkpoint : null;
  if (prediction.holds !== held && record.end.kind !== "restarted") {
    return [
      prediction.holds
        ? `the writer should be held at ${prediction.holds}, but the step ended ${record.end.kind}`
        : `the writer was held at ${held}, where the contract lets no writer stop`,
    ];
  }
  return [...checkBlocked(record, prediction.blockedBy), ...checkOutcomes(record, prediction.outcomes, rules)];
}

/** The file after the step against the prediction: the predicted store, or the same bytes. */
export function contentProblems(
  record: StepRecord,
  { content }: StepPrediction,
  rules: CheckRules,
): { check: CheckId; message: string }[] {
  if (content.kind === "unchanged" && rules.contentOnly) {
    const [before, after] = [storeOf(record.before.content), storeOf(record.after.content)];
    if (isDeepStrictEqual(before, after)) return [];
    return [
      {
        check: "unexpected-write",
        message: `the store changed (${show(before)} -> ${show(after)}) where nothing may write it`,
      },
    ];
  }
  if (content.kind === "unchanged" && record.after.hash !== record.before.hash) {
    return [
      {
        check: "unexpected-write",
        message: `the file changed (${record.before.hash} -> ${record.after.hash}) where nothing may write it`,
      },
    ];
  }
  if (content.kind !== "store") return [];
  const after = record.after.content;
  if (after.kind !== "json")
    return [{ check: "content", message: `the file is ${after.kind}, expected ${show(content.store)}` }];
  if (!isDeepStrictEqual(after.store, content.store))
    return [{ check: "content", message: `the file holds ${show(after.store)}, expected ${show(content.store)}` }];
  return [];
}

/** A database's content as a store: a missing one holds nothing. */
const storeOf = (content: StepRecord["after"]["content"]): unknown =>
  content.kind === "missing" ? {} : content.kind === "json" ? content.store : content;

/** A writer waits for a lock a killed writer left exactly when the model says one was left. */
function checkBlocked(record: StepRecord, blockedBy: number | null): string[] {
  if (blockedBy !== null && record.end.kind !== "blocked") {
    return [
      `the writer killed while held at step ${blockedBy} left its lock, yet this writer did not wait for it (it ended ${record.end.kind})`,
    ];
  }
  if (blockedBy === null && record.end.kind === "blocked") {
    return [`waited for ${record.end.lock}, but no writer was killed holding the lock`];
  }
  return [];
}

function checkOutcomes(record: StepRecord, expected: StepPrediction["outcomes"], rules: CheckRules): string[] {
  const { storePath } = rules;
  if (expected === null) return [];
  if (record.end.kind !== "done") return [`ended ${record.end.kind}, expected ${expected.length} outcome(s)`];
  const got = record.end.outcomes;
  if (got.length !== expected.length) return [`${got.length} outcome(s), expected ${expected.length}`];
  return expected.flatMap((want, i) => {
    const outcome = got[i]!;
    if (want.status === "error") {
      if (outcome.status !== "error") return [`operation ${i} succeeded, expected an error (${want.because})`];
      if (want.because === "conflict" && !outcome.error.message.includes(rules.conflictError ?? "")) {
        return [
          `operation ${i} failed with ${show(outcome.error.message)}, not the store's conflict error (${show(rules.conflictError)})`,
        ];
      }
      if (want.because === "unparseable" && !outcome.error.message.includes(storePath)) {
        return [`operation ${i} refused an unparseable store without naming the file: ${show(outcome.error.message)}`];
      }
      return [];
    }
    if (outcome.status === "error") return [`operation ${i} failed: ${outcome.error.name}: ${outcome.error.message}`];
    if (want.status === "ok-read") {
      const allowed = [want.value, ...(want.alternatives ?? [])];
      if (!allowed.some((value) => isDeepStrictEqual(outcome.value, value))) {
        return [`read returned ${show(outcome.value)}, expected ${show(want.value)}`];
      }
    }
    return [];
  });
}
