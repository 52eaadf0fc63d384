import { describe, expect, it } from "vitest";
import { ScheduleError } from "../../harness/schedule/runner.js";
import type { ScheduleInput } from "../../harness/schedule/schema.js";
import { ownRunDirs, run, usePool } from "./helpers.js";

/** Schedules the harness refuses before it starts anything, naming the JSON path at fault. */
const pool = usePool();

async function refusal(input: ScheduleInput): Promise<ScheduleError> {
  const error = await run(input, pool()).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ScheduleError);
  return error as ScheduleError;
}

describe("schedule validation", () => {
  it("a writer step on a gateway holding a paused writer is refused at steps[i].op", async () => {
    const error = await refusal({
      options: { gateways: 1, externals: 1 },
      steps: [
        { actor: "g0", op: "merge", key: "a", set: {}, pause: "before-rename" },
        { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: {} }] },
        { actor: "g0", op: "merge", key: "c", set: {} },
      ],
    });
    expect(error.message).toBe("invalid schedule: steps[2].op: g0 holds a paused writer: resume or restart it first");
    expect(error.issues).toEqual([
      { path: "steps[2].op", message: "g0 holds a paused writer: resume or restart it first" },
    ]);
  });

  it("a batch, a second pause and a merge-throw are writers too; a read and a restart are not", async () => {
    const error = await refusal({
      options: { gateways: 2, externals: 0 },
      steps: [
        { actor: "g0", op: "merge", key: "a", set: {}, pause: "after-load" },
        { actor: "g0", op: "read", skipCache: false },
        { actor: "g0", op: "batch", ops: [{ op: "merge-noop" }, { op: "merge-noop" }] },
        { actor: "g1", op: "merge", key: "b", set: {} },
        { actor: "g0", op: "merge-throw", key: "a", pause: "after-load" },
        { actor: "g0", op: "restart" },
        { actor: "g0", op: "merge", key: "a", set: {} },
        { actor: "g0", op: "resume" },
      ],
    });
    expect(error.issues).toEqual([
      { path: "steps[2].op", message: "g0 holds a paused writer: resume or restart it first" },
      { path: "steps[4].op", message: "g0 holds a paused writer: resume or restart it first" },
      { path: "steps[7].op", message: "g0 has no paused writer to resume" },
    ]);
  });

  it("an actor beyond options.gateways / options.externals is refused at steps[i].actor", async () => {
    const error = await refusal({
      options: { gateways: 1, externals: 1 },
      steps: [
        { actor: "g0", op: "merge", key: "a", set: {} },
        { actor: "g3", op: "merge", key: "a", set: {} },
        { actor: "x1", op: "delete-file", how: "unlink" },
      ],
    });
    expect(error.message).toBe(
      "invalid schedule: steps[1].actor: g3 does not exist: options.gateways is 1; steps[2].actor: x1 does not exist: options.externals is 1",
    );
  });

  it("refuses before starting a process or making a run directory", async () => {
    const dirs = ownRunDirs();
    await refusal({ options: { gateways: 1, externals: 0 }, steps: [{ actor: "g3", op: "restart" }] });
    expect(pool().started).toBe(0);
    expect(pool().pids()).toEqual([]);
    expect(ownRunDirs()).toEqual(dirs);
  });
});
