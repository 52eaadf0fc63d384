import { describe, expect, it } from "vitest";
import { ScheduleError } from "../../harness/schedule/runner.js";
import { allTripwires, entry, expectDead, fixtureModule, ownRunDirs, run, statMismatch, statOf, storeOf, trackAcquired, usePool } from "./helpers.js";

/** A store without `_setSessionStoreWriterCheckpointForTest` runs everything but paused writers. */
const pool = usePool({ storeModule: fixtureModule("no-checkpoint-store.mjs") });

async function refusal(input: Parameters<typeof run>[0]): Promise<{ error: ScheduleError; acquired: number[] }> {
  const acquired = trackAcquired(pool());
  const error = await run(input, pool()).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ScheduleError);
  return { error: error as ScheduleError, acquired };
}

describe("a store module without the checkpoint seam", () => {
  it("runs a schedule without pauses, tripwire included, and says it has no checkpoints", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "B" } }] },
          { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
          { actor: "g0", op: "read", skipCache: false },
        ],
      },
      pool(),
    );
    expect(history.capabilities).toEqual({
      checkpoints: false,
      knownLimitations: ["mid-flight-drift", "empty-cache-bypass", "coarse-mtime"],
    });
    const [write, external, merge] = history.steps;
    expect(allTripwires(history)).toEqual([
      { index: 2, payload: statMismatch(history.storePath, statOf(write!.after), statOf(external!.after)) },
    ]);
    const final = { a: entry("a", 2, { note: "AA" }), b: entry("b", 1, { note: "B" }) };
    expect(storeOf(merge!.after)).toEqual(final);
    expect(history.steps[3]!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: final }] });
  });

  it("refuses a schedule with a pause: the store has no checkpoint seam; nothing is left behind", async () => {
    const dirs = ownRunDirs();
    const { error, acquired } = await refusal({
      options: { gateways: 1, externals: 0 },
      steps: [
        { actor: "g0", op: "merge", key: "a", set: {} },
        { actor: "g0", op: "merge", key: "a", set: {}, pause: "after-load" },
        { actor: "g0", op: "resume" },
      ],
    });
    expect(error.message).toBe(
      "invalid schedule: steps[1].pause: the store has no checkpoint seam (_setSessionStoreWriterCheckpointForTest): paused merges cannot run",
    );
    expect(acquired).toHaveLength(1);
    for (const pid of acquired) expectDead(pid);
    expect(ownRunDirs()).toEqual(dirs);
  });

  it("refuses the coarse clock, which stamps gateway writes at the before-rename checkpoint", async () => {
    const { error } = await refusal({
      options: { gateways: 1, externals: 0, coarseClock: true },
      steps: [{ actor: "g0", op: "merge", key: "a", set: {} }],
    });
    expect(error.issues).toEqual([
      {
        path: "options.coarseClock",
        message: "the store has no checkpoint seam (_setSessionStoreWriterCheckpointForTest): gateway writes cannot be put on the virtual clock",
      },
    ]);
  });
});
