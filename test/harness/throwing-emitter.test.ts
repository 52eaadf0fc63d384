import { describe, expect, it } from "vitest";
import { normalizeHistory } from "../../harness/history/normalize.js";
import type { ScheduleInput } from "../../harness/schedule/schema.js";
import { allTripwires, missingFile, run, statMismatch, statOf, usePool } from "./helpers.js";

/** throwingEmitter: the gateways' emitter throws after forwarding; the store must fail open. */
const pool = usePool();

const scenario = (throwingEmitter: boolean): ScheduleInput => ({
  options: { gateways: 1, externals: 1, throwingEmitter, initial: { a: { note: "a" } } },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "outside" } }] },
    { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
    { actor: "x0", op: "delete-file", how: "unlink" },
    {
      actor: "g0",
      op: "batch",
      ops: [
        { op: "merge", key: "c", set: { n: 1 } },
        { op: "merge", key: "d", set: { n: 2 } },
      ],
    },
  ],
});

describe("a throwing tripwire emitter", () => {
  it("still gets the payloads forwarded, writes succeed, and the file ends as without it", async () => {
    const throwing = await run(scenario(true), pool());
    const quiet = await run(scenario(false), pool());

    const [write, external, merge, remove] = throwing.steps;
    expect(allTripwires(throwing)).toEqual([
      { index: 2, payload: statMismatch(throwing.storePath, statOf(write!.after), statOf(external!.after)) },
      { index: 4, payload: missingFile(throwing.storePath, statOf(merge!.after)) },
    ]);
    expect(remove!.after.stat).toEqual({ kind: "missing" });
    for (const record of throwing.steps) {
      expect(record.end.kind).toBe("done");
      if (record.end.kind === "done")
        expect(record.end.outcomes.every((outcome) => outcome.status === "ok")).toBe(true);
    }
    // Byte for byte the same files, the same payloads: only the option differs.
    expect(throwing.steps.map((record) => record.after.hash)).toEqual(quiet.steps.map((record) => record.after.hash));
    const { schedule: _a, ...withThrowing } = normalizeHistory(throwing);
    const { schedule: _b, ...withoutThrowing } = normalizeHistory(quiet);
    expect(withThrowing).toEqual(withoutThrowing);
  });
});
