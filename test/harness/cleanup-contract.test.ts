import { describe, expect, it } from "vitest";
import { ActorError } from "../../harness/pool/actor-process.js";
import { expectDead, fixtureModule, ownRunDirs, run, trackAcquired, usePool } from "./helpers.js";

/** A store module that breaks the contract fails at init, naming what is missing, and leaves nothing. */
const storeModule = fixtureModule("missing-export-store.mjs");
const pool = usePool({ storeModule });

describe("cleanup after a store module missing an export", () => {
  it("init fails with an ActorError naming the module and the missing export; no process or directory is left", async () => {
    const dirs = ownRunDirs();
    const acquired = trackAcquired(pool());
    const error = await run(
      { options: { gateways: 2, externals: 1 }, steps: [{ actor: "g0", op: "merge", key: "a", set: {} }] },
      pool(),
    ).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ActorError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^gateway \\d+ could not start: store module ${storeModule.replace(/[.]/g, "\\.")} does not meet the contract: missing export\\(s\\) runExclusiveSessionStoreWrite$`,
      ),
    );
    expect(acquired).toHaveLength(3);
    for (const pid of acquired) expectDead(pid);
    expect(ownRunDirs()).toEqual(dirs);
  });
});
