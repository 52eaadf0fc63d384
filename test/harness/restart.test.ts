import { describe, expect, it } from "vitest";
import { allTripwires, entry, expectDead, isAlive, run, storeOf, usePool } from "./helpers.js";

/** `restart`: the parent SIGKILLs a gateway and puts a fresh process in its place. */
const pool = usePool();

describe("gateway restart", () => {
  it("kills the process for real, the new one has another pid and its first load is a miss", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "g0", op: "restart" },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "outside" } }] },
          { actor: "g0", op: "merge", key: "c", set: { note: "C" } },
        ],
      },
      pool(),
    );
    const [write, restart, , next] = history.steps;
    const killed = write!.pid!;
    expect(restart!.pid).toBe(killed);
    expect(restart!.end).toEqual({ kind: "restarted", killedPid: killed, killedWhilePaused: false });
    expect(restart!.after).toEqual(write!.after);
    expectDead(killed);
    expect(next!.pid).not.toBe(killed);
    expect(isAlive(next!.pid!)).toBe(true);
    // A fresh process has no cache entry: the external write is read from disk, nothing emitted.
    expect(allTripwires(history)).toEqual([]);
    expect(storeOf(next!.after)).toEqual({
      a: entry("a", 0, { note: "A" }),
      b: entry("b", 2, { note: "outside" }),
      c: entry("c", 3, { note: "C" }),
    });
    expect(history.leftovers).toEqual([]);
  });

  it("killing a writer held at before-rename leaves its temp file and the store unchanged", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 0 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "g0", op: "merge", key: "b", set: { note: "B" }, pause: "before-rename" },
          { actor: "g0", op: "restart" },
          { actor: "g0", op: "merge", key: "c", set: { note: "C" } },
        ],
      },
      pool(),
    );
    const [write, held, restart, next] = history.steps;
    const killed = held!.pid!;
    expect(held!.end).toEqual({ kind: "paused", checkpoint: "before-rename" });
    expect(restart!.end).toEqual({ kind: "restarted", killedPid: killed, killedWhilePaused: true });
    expectDead(killed);
    expect(held!.after).toEqual(write!.after);
    expect(restart!.after).toEqual(write!.after);
    expect(history.leftovers).toHaveLength(1);
    expect(history.leftovers[0]).toMatch(new RegExp(`^sessions\\.json\\.${killed}\\.[0-9a-f]+\\.tmp$`));
    expect(next!.pid).not.toBe(killed);
    expect(storeOf(next!.after)).toEqual({ a: entry("a", 0, { note: "A" }), c: entry("c", 3, { note: "C" }) });
    expect(allTripwires(history)).toEqual([]);
  });

  it("killing a writer held at after-load leaves no temp file", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 0 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" }, pause: "after-load" },
          { actor: "g0", op: "restart" },
        ],
      },
      pool(),
    );
    expect(history.steps[0]!.end).toEqual({ kind: "paused", checkpoint: "after-load" });
    expect(history.steps[1]!.end).toEqual({
      kind: "restarted",
      killedPid: history.steps[0]!.pid,
      killedWhilePaused: true,
    });
    expect(history.steps[1]!.after.stat).toEqual({ kind: "missing" });
    expect(history.leftovers).toEqual([]);
  });
});
