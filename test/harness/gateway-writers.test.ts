import { describe, expect, it } from "vitest";
import { ACP, allTripwires, entry, run, statOf, storeOf, usePool } from "./helpers.js";

/** Each gateway writer operation against the project's store, checked in the history. */
const pool = usePool();

describe("gateway writer operations", () => {
  it("merge creates the file, adds entries and merges fields, stamping updatedAt with the step index", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 0 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "one" } },
          { actor: "g0", op: "merge", key: "b", set: { note: "two" } },
          { actor: "g0", op: "merge", key: "a", set: { extra: 1 } },
        ],
      },
      pool(),
    );
    expect(history.initial.stat).toEqual({ kind: "missing" });
    expect(history.steps.map((record) => record.end)).toEqual([
      { kind: "done", outcomes: [{ status: "ok" }] },
      { kind: "done", outcomes: [{ status: "ok" }] },
      { kind: "done", outcomes: [{ status: "ok" }] },
    ]);
    expect(history.steps.map((record) => storeOf(record.after))).toEqual([
      { a: entry("a", 0, { note: "one" }) },
      { a: entry("a", 0, { note: "one" }), b: entry("b", 1, { note: "two" }) },
      { a: entry("a", 2, { note: "one", extra: 1 }), b: entry("b", 1, { note: "two" }) },
    ]);
    const pid = history.steps[0]!.pid;
    expect(pid).toBeGreaterThan(0);
    expect(history.steps.map((record) => record.pid)).toEqual([pid, pid, pid]);
    expect(allTripwires(history)).toEqual([]);
    expect(history.leftovers).toEqual([]);
  });

  it("merge-noop rewrites the same bytes through a new file, and a missing file becomes {}", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 0, initial: { a: { note: "x" } } },
        steps: [
          { actor: "g0", op: "merge-noop" },
          { actor: "g0", op: "merge-noop" },
        ],
      },
      pool(),
    );
    const [first, second] = history.steps;
    expect(first!.end).toEqual({ kind: "done", outcomes: [{ status: "ok" }] });
    expect(storeOf(first!.after)).toEqual({ a: entry("a", 0, { note: "x" }) });
    expect(first!.after.hash).toBe(history.initial.hash);
    expect(statOf(first!.after).size).toBe(statOf(history.initial).size);
    expect(statOf(first!.after).ino).not.toBe(statOf(history.initial).ino);
    expect(statOf(first!.after).mtimeMs).toBeGreaterThan(statOf(history.initial).mtimeMs);
    expect(second!.after.hash).toBe(history.initial.hash);
    expect(allTripwires(history)).toEqual([]);

    const empty = await run(
      { options: { gateways: 1, externals: 0 }, steps: [{ actor: "g0", op: "merge-noop" }] },
      pool(),
    );
    expect(empty.steps[0]!.before.stat).toEqual({ kind: "missing" });
    expect(storeOf(empty.steps[0]!.after)).toEqual({});
  });

  it("merge-throw fails the step, leaves the file alone, and the next load is a miss even after an external write", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "one" } },
          { actor: "g0", op: "merge-throw", key: "a" },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "outside" } }] },
          { actor: "g0", op: "merge", key: "a", set: { note: "three" } },
        ],
      },
      pool(),
    );
    const [write, thrown, external, next] = history.steps;
    expect(thrown!.end).toEqual({
      kind: "done",
      outcomes: [
        { status: "error", error: { name: "MutatorFailure", message: "mutator for a failed on purpose (stamp 1)" } },
      ],
    });
    expect(thrown!.after).toEqual(write!.after);
    expect(statOf(external!.after).size).not.toBe(statOf(write!.after).size);
    // The throw dropped g0's cache entry: the load after the external write reads the disk, silently.
    expect(next!.tripwires).toEqual([]);
    expect(next!.end).toEqual({ kind: "done", outcomes: [{ status: "ok" }] });
    expect(storeOf(next!.after)).toEqual({
      a: entry("a", 3, { note: "three" }),
      b: entry("b", 2, { note: "outside" }),
    });
    expect(allTripwires(history)).toEqual([]);
  });

  it("batch queues several writers at once: all land, a throwing one does not stop the others, no tripwire", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 0, initial: { z: { note: "z" } } },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "first" } },
          {
            actor: "g0",
            op: "batch",
            ops: [
              { op: "merge", key: "a", set: { n: 1 } },
              { op: "merge-throw", key: "b" },
              { op: "merge", key: "c", set: { n: 3 } },
              { op: "acp-bind", key: "d", acp: ACP },
              { op: "merge-noop" },
            ],
          },
          { actor: "g0", op: "merge", key: "e", set: { n: 5 } },
        ],
      },
      pool(),
    );
    const batch = history.steps[1]!;
    expect(batch.end).toEqual({
      kind: "done",
      outcomes: [
        { status: "ok" },
        { status: "error", error: { name: "MutatorFailure", message: "mutator for b failed on purpose (stamp 101)" } },
        { status: "ok" },
        { status: "ok" },
        { status: "ok" },
      ],
    });
    // Stamps in a batch are step * 100 + position.
    expect(storeOf(batch.after)).toEqual({
      z: entry("z", 0, { note: "z" }),
      a: entry("a", 100, { note: "first", n: 1 }),
      c: entry("c", 102, { n: 3 }),
      d: entry("d", 103, { acp: ACP }),
    });
    expect(storeOf(history.steps[2]!.after).e).toEqual(entry("e", 2, { n: 5 }));
    expect(allTripwires(history)).toEqual([]);
  });

  it("acp-bind binds, replace-entry keeps the binding, acp-drop removes it, delete-entry removes the entry", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 0, initial: { a: { note: "a" }, b: { note: "b" } } },
        steps: [
          { actor: "g0", op: "acp-bind", key: "a", acp: ACP },
          { actor: "g0", op: "replace-entry", key: "a", set: { note: "replaced" } },
          { actor: "g0", op: "acp-drop", key: "a" },
          { actor: "g0", op: "acp-bind", key: "b", acp: { backend: "other" } },
          { actor: "g0", op: "delete-entry", key: "b" },
        ],
      },
      pool(),
    );
    expect(history.steps.map((record) => storeOf(record.after))).toEqual([
      { a: entry("a", 0, { note: "a", acp: ACP }), b: entry("b", 0, { note: "b" }) },
      { a: entry("a", 1, { note: "replaced", acp: ACP }), b: entry("b", 0, { note: "b" }) },
      { a: entry("a", 2, { note: "replaced" }), b: entry("b", 0, { note: "b" }) },
      { a: entry("a", 2, { note: "replaced" }), b: entry("b", 3, { note: "b", acp: { backend: "other" } }) },
      { a: entry("a", 2, { note: "replaced" }) },
    ]);
    expect(history.steps.every((record) => record.end.kind === "done" && record.end.outcomes[0]?.status === "ok")).toBe(
      true,
    );
    expect(allTripwires(history)).toEqual([]);
  });
});
