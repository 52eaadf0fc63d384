import { describe, expect, it } from "vitest";
import { ActorError } from "../../harness/pool/actor-process.js";
import { expectDead, fixtureModule, ownRunDirs, run, usePool } from "./helpers.js";

/** A failing run (a step that times out) kills every process it used and removes its directory. */
const pool = usePool({ storeModule: fixtureModule("hanging-store.mjs"), stepTimeoutMs: 1_500 });

describe("cleanup after a step timeout", () => {
  it("rejects with an ActorError naming the step, every pid is dead, no run directory is left", async () => {
    const dirs = ownRunDirs();
    const seen = new Set<number>();
    const failure = run(
      {
        options: { gateways: 2, externals: 1 },
        steps: [
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "a", set: { note: "A" } }] },
          { actor: "g1", op: "read", skipCache: true },
          { actor: "g0", op: "merge", key: "a", set: { note: "never" } },
        ],
      },
      pool(),
      {
        onStep: () =>
          pool()
            .pids()
            .forEach((pid) => seen.add(pid)),
      },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    const error = await failure;
    expect(error).toBeInstanceOf(ActorError);
    expect((error as Error).message).toMatch(/^gateway \d+ did not answer "g0 merge" within 1500 ms$/);
    expect(seen.size).toBe(3);
    for (const pid of seen) expectDead(pid);
    expect(ownRunDirs()).toEqual(dirs);
  });
});
