import type { StepLockedHistory } from "../../harness/history/types.js";

/**
 * How often a store's writers lost a conflict (failed with the store's declared conflict error,
 * `capabilities.conflictError`) and the longest run of losses by one gateway, counted over
 * every history a property explored: the starvation figure of the summary. A figure, not a
 * verdict: the contract allows a conflicting write to fail.
 */
export type ConflictFigure = { writes: number; conflicts: number; longestStreak: number };

export const noConflicts = (): ConflictFigure => ({ writes: 0, conflicts: 0, longestStreak: 0 });

/** Adds one history's writer outcomes to `figure` (streaks do not carry across histories: each run starts fresh). */
export function addConflicts(figure: ConflictFigure, history: StepLockedHistory): void {
  const marker = history.capabilities.conflictError;
  if (!marker) return;
  const streaks = new Map<string, number>();
  for (const record of history.steps) {
    if (record.end.kind !== "done" || record.step.op === "read") continue;
    for (const outcome of record.end.outcomes) {
      figure.writes++;
      const lost = outcome.status === "error" && outcome.error.message.includes(marker);
      const streak = lost ? (streaks.get(record.step.actor) ?? 0) + 1 : 0;
      streaks.set(record.step.actor, streak);
      if (lost) figure.conflicts++;
      figure.longestStreak = Math.max(figure.longestStreak, streak);
    }
  }
}
