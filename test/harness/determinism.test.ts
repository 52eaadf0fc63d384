import { describe, expect, it } from "vitest";
import { normalizeHistory } from "../../harness/history/normalize.js";
import type { ExternalChange, ScheduleInput } from "../../harness/schedule/schema.js";
import { ACP, allTripwires, run, statMismatch, statOf, usePool } from "./helpers.js";

/** The same schedule, run twice, gives the same normalized history. */
const pool = usePool();

const set = (key: string, note: string): ExternalChange[] => [{ kind: "set", key, set: { note } }];

/** Every operation; a batch with one throwing op (see normalize.ts about inodes in batches). */
const everyOp = (coarseClock: boolean): ScheduleInput => ({
  options: { gateways: 2, externals: 1, coarseClock, initial: { a: { note: "a" } } },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "m" } },
    { actor: "g0", op: "merge-noop" },
    { actor: "g1", op: "merge", key: "b", set: { note: "g1" } },
    { actor: "g0", op: "merge-throw", key: "a" },
    {
      actor: "g0",
      op: "batch",
      ops: [
        { op: "merge", key: "c", set: { n: 1 } },
        { op: "merge-throw", key: "d" },
      ],
    },
    { actor: "g0", op: "acp-bind", key: "a", acp: ACP },
    { actor: "g0", op: "replace-entry", key: "a", set: { note: "r" } },
    { actor: "g0", op: "acp-drop", key: "a" },
    { actor: "g0", op: "delete-entry", key: "c" },
    { actor: "x0", op: "write", changes: set("e", "written") },
    ...(coarseClock ? [{ actor: "clock", op: "tick" } as const] : []),
    { actor: "g0", op: "read", skipCache: false },
    { actor: "g0", op: "read", skipCache: true },
    { actor: "x0", op: "same-second-edit", sameSize: true, changes: set("e", "edited") },
    { actor: "x0", op: "same-second-edit", sameSize: false, changes: set("e", "edited again, longer") },
    { actor: "g1", op: "merge", key: "b", set: { note: "g1 again" } },
    { actor: "x0", op: "rewrite-in-place", changes: set("f", "in place") },
    { actor: "g0", op: "merge", key: "a", set: { note: "held" }, pause: "before-rename" },
    { actor: "x0", op: "write", changes: set("g", "overwritten") },
    ...(coarseClock ? [{ actor: "clock", op: "tick" } as const] : []),
    { actor: "g0", op: "resume" },
    { actor: "g0", op: "restart" },
    { actor: "g0", op: "merge", key: "h", set: { note: "killed" }, pause: "before-rename" },
    { actor: "g0", op: "restart" },
    { actor: "x0", op: "delete-file", how: "rename-away" },
    { actor: "g0", op: "merge", key: "i", set: { note: "new file" } },
    { actor: "g1", op: "merge", key: "b", set: { note: "sees a new file" } },
    { actor: "x0", op: "delete-file", how: "unlink" },
    { actor: "g1", op: "merge", key: "b", set: { note: "sees no file" } },
    { actor: "x0", op: "bad-edit", kind: "invalid-json" },
    { actor: "g1", op: "merge", key: "b", set: { note: "refused" } },
    { actor: "x0", op: "bad-edit", kind: "empty" },
    { actor: "g0", op: "merge-noop" },
  ],
});

describe("determinism", () => {
  for (const coarseClock of [false, true]) {
    it(`a schedule touching every operation normalizes identically on two runs (${coarseClock ? "coarse" : "real"} clock)`, async () => {
      const first = await run(everyOp(coarseClock), pool());
      const second = await run(everyOp(coarseClock), pool());
      expect(second.storePath).not.toBe(first.storePath);

      const normalized = normalizeHistory(first);
      expect(normalizeHistory(second)).toEqual(normalized);
      expect(JSON.stringify(normalizeHistory(second))).toBe(JSON.stringify(normalized));

      // The run did what the schedule says: tripwires, a restart's new pid, the killed writer's temp.
      const at = (index: number) => (coarseClock && index >= 10 ? index + (index >= 18 ? 2 : 1) : index);
      const tripwires = normalized.steps.flatMap((record) =>
        record.tripwires.map((payload) => [record.index, (payload as { reason: string }).reason]),
      );
      expect(tripwires).toEqual([
        [at(3), "stat_mismatch"], // g0's cache vs g1's write, before the mutator throws
        [at(14), "stat_mismatch"], // g1 after the external edits
        [at(16), "stat_mismatch"], // g0 after the rewrite in place
        [at(24), "stat_mismatch"], // g1 vs the file made after the rename-away
        [at(26), "missing_file"],
        [at(28), "stat_mismatch"], // then the parse error
        [at(30), "stat_mismatch"],
      ]);
      expect(normalized.leftovers).toEqual([`sessions.json.<pid:g0#1>.<rand>.tmp`, `sessions.json.moved-${at(22)}`]);
      expect(normalized.steps.map((record) => record.pid).filter((pid) => pid?.startsWith("pid:g0"))).toContain(
        "pid:g0#2",
      );
      expect(JSON.stringify(normalized)).not.toContain(first.storePath);
    });
  }

  it("real clock: a step's write never shares the previous step's mtime, so same-size edits are seen every time", async () => {
    // Same sizes throughout: only the mtime can tell the writes apart. The kernel stamps files
    // from a coarse clock (one kernel tick), so without the runner's clock advance between
    // steps most of these writes would share a tick and the tripwires would come and go.
    const steps = Array.from({ length: 9 }, (_, index): ScheduleInput["steps"][number] =>
      index % 2 === 0
        ? { actor: "g0", op: "merge", key: "a", set: { note: `x${index}` } }
        : { actor: "x0", op: "write", changes: set("b", `y${index}`) },
    );
    const history = await run(
      { options: { gateways: 1, externals: 1, initial: { a: { note: "xx" }, b: { note: "yy" } } }, steps },
      pool(),
    );
    for (const record of history.steps) {
      expect(statOf(record.after).size).toBe(statOf(history.initial).size);
      expect(statOf(record.after).mtimeMs).toBeGreaterThan(statOf(record.before).mtimeMs);
    }
    expect(allTripwires(history)).toEqual(
      [2, 4, 6, 8].map((index) => ({
        index,
        payload: statMismatch(
          history.storePath,
          statOf(history.steps[index - 2]!.after),
          statOf(history.steps[index]!.before),
        ),
      })),
    );
  });
});
