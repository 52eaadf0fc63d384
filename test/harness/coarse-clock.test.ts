import { describe, expect, it } from "vitest";
import { COARSE_EPOCH_SECOND } from "../../harness/schedule/runner.js";
import { allTripwires, entry, run, statMismatch, statOf, storeOf, usePool } from "./helpers.js";

/** coarseClock: every write's mtime is a whole second of a virtual clock that only `tick` moves. */
const pool = usePool();

describe("coarse clock", () => {
  it("stamps every write with the virtual second; same-size writes within one second are invisible", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1, coarseClock: true, initial: { a: { note: "aa" }, b: { note: "bb" } } },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A0" } },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "B1" } }] },
          { actor: "g0", op: "merge", key: "a", set: { note: "A2" } },
          { actor: "clock", op: "tick" },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "B4" } }] },
          { actor: "g0", op: "merge", key: "a", set: { note: "A5" } },
          { actor: "clock", op: "tick" },
          { actor: "g0", op: "merge", key: "a", set: { note: "A7" }, pause: "before-rename" },
          { actor: "clock", op: "tick" },
          { actor: "g0", op: "resume" },
          { actor: "x0", op: "rewrite-in-place", changes: [{ kind: "set", key: "c", set: { n: 1 } }] },
        ],
      },
      pool(),
    );
    const second = (ticks: number) => (COARSE_EPOCH_SECOND + ticks) * 1000;
    expect(statOf(history.initial).mtimeMs).toBe(second(0));
    let ticks = 0;
    const writing: number[] = [];
    for (const record of history.steps) {
      if (record.step.actor === "clock") ticks++;
      const changed =
        record.after.hash !== record.before.hash || statOf(record.after).ino !== statOf(record.before).ino;
      if (!changed) continue;
      writing.push(record.index);
      // Every file the run produced carries the virtual second current when it was put in place.
      expect(statOf(record.after).mtimeMs, `step ${record.index}`).toBe(second(ticks));
    }
    expect(writing).toEqual([0, 1, 2, 4, 5, 9, 10]);
    // The writer held before its rename (step 7) got the second of its resume (step 9).
    expect(statOf(history.steps[9]!.after).mtimeMs).toBe(second(3));

    const [write, external, same] = history.steps;
    expect(statOf(external!.after)).toMatchObject({
      mtimeMs: statOf(write!.after).mtimeMs,
      size: statOf(write!.after).size,
    });
    // Same second, same size: g0 trusts its cache and the external B1 is lost without a word.
    expect(same!.tripwires).toEqual([]);
    expect(storeOf(same!.after)).toEqual({ a: entry("a", 2, { note: "A2" }), b: entry("b", 0, { note: "bb" }) });

    // One tick later the same kind of write is seen.
    const [, , , , later, seen] = history.steps;
    expect(seen!.tripwires).toEqual([statMismatch(history.storePath, statOf(same!.after), statOf(later!.after))]);
    expect(storeOf(seen!.after)).toEqual({ a: entry("a", 5, { note: "A5" }), b: entry("b", 4, { note: "B4" }) });
    expect(allTripwires(history)).toHaveLength(1);
  });

  it("tick without coarseClock is refused", async () => {
    await expect(
      run({ options: { gateways: 1, externals: 0 }, steps: [{ actor: "clock", op: "tick" }] }, pool()),
    ).rejects.toThrow("invalid schedule: steps[0].op: tick needs options.coarseClock");
  });
});
