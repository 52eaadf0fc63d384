import { isDeepStrictEqual } from "node:util";
import type { StepRecord } from "../../harness/history/types.js";
import type { CheckContext } from "./context.js";
import { show, violation, type CheckId, type Violation } from "./violation.js";

/**
 * No update is lost: every operation ends as the model predicts, and after every step the file
 * holds exactly the predicted store (parsed), or is byte for byte unchanged where nothing may
 * have written.
 */
export function checkOutcomesAndContent({ history, predictions }: CheckContext): Violation[] {
  const found: Violation[] = [];
  for (const record of history.steps) {
    const prediction = predictions[record.index]!;
    const at = (check: CheckId) => (message: string) => violation(record.index, record.step.actor, check, `${record.step.op}: ${message}`);
    found.push(...checkOutcomes(record, prediction.outcomes, history.storePath).map(at("outcome")));
    found.push(...checkBlocked(record, prediction.blockedBy).map(at("outcome")));
    const content = prediction.content;
    if (content.kind === "unchanged" && record.after.hash !== record.before.hash) {
      found.push(at("unexpected-write")(`the file changed (${record.before.hash} -> ${record.after.hash}) where nothing may write it`));
    }
    if (content.kind === "store") {
      const after = record.after.content;
      if (after.kind !== "json") found.push(at("content")(`the file is ${after.kind}, expected ${show(content.store)}`));
      else if (!isDeepStrictEqual(after.store, content.store)) {
        found.push(at("content")(`the file holds ${show(after.store)}, expected ${show(content.store)}`));
      }
    }
  }
  return found;
}

/** A writer waits for a lock a killed writer left exactly when the model says one was left. */
function checkBlocked(record: StepRecord, blockedBy: number | null): string[] {
  if (blockedBy !== null && record.end.kind !== "blocked") {
    return [`the writer killed while held at step ${blockedBy} left its lock, yet this writer did not wait for it (it ended ${record.end.kind})`];
  }
  if (blockedBy === null && record.end.kind === "blocked") {
    return [`waited for ${record.end.lock}, but no writer was killed holding the lock`];
  }
  return [];
}

function checkOutcomes(record: StepRecord, expected: CheckContext["predictions"][number]["outcomes"], storePath: string): string[] {
  if (expected === null) return [];
  if (record.end.kind !== "done") return [`ended ${record.end.kind}, expected ${expected.length} outcome(s)`];
  const got = record.end.outcomes;
  if (got.length !== expected.length) return [`${got.length} outcome(s), expected ${expected.length}`];
  return expected.flatMap((want, i) => {
    const outcome = got[i]!;
    if (want.status === "error") {
      if (outcome.status !== "error") return [`operation ${i} succeeded, expected an error (${want.because})`];
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
