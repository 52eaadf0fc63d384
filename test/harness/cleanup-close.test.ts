import { describe, expect, it } from "vitest";
import { expectDead, isAlive, ownRunDirs, run, usePool } from "./helpers.js";

/** Restarts kill for real, and closing the pool leaves no child alive. */
const pool = usePool();

describe("cleanup after restarts and pool.close()", () => {
  it("no live child pid after a restart kill, and none at all after close", async () => {
    const dirs = ownRunDirs();
    const seen = new Set<number>();
    const history = await run(
      {
        options: { gateways: 2, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "g0", op: "restart" },
          { actor: "g1", op: "merge", key: "b", set: { note: "B" }, pause: "before-rename" },
          { actor: "g1", op: "restart" },
          { actor: "g0", op: "merge", key: "c", set: { note: "C" } },
          { actor: "x0", op: "delete-file", how: "unlink" },
        ],
      },
      pool(),
      {
        onStep: () =>
          pool()
            .pids()
            .forEach((pid) => seen.add(pid)),
      },
    );
    const killed = history.steps.flatMap((record) => (record.end.kind === "restarted" ? [record.end.killedPid] : []));
    expect(killed).toHaveLength(2);
    for (const pid of killed) {
      expectDead(pid);
      expect(pool().pids()).not.toContain(pid);
    }
    // Everything else the pool holds (the run's survivors and warm spares) is alive and tracked.
    const live = pool().pids();
    expect(live.length).toBeGreaterThan(0);
    for (const pid of live) expect(isAlive(pid)).toBe(true);
    expect(ownRunDirs()).toEqual(dirs);

    for (const pid of live) seen.add(pid);
    await pool().close();
    expect(pool().pids()).toEqual([]);
    for (const pid of seen) expectDead(pid);
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });
});
