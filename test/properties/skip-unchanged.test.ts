import { describe, expect, it } from "vitest";
import { acpSurvives } from "../../properties/acp-survives.property.js";
import { noLostUpdate } from "../../properties/no-lost-update.property.js";
import { tripwireTiming } from "../../properties/tripwire-timing.property.js";
import { runProperty } from "../../properties/run/run-property.js";
import { fixtureModule } from "../harness/helpers.js";
import { describeFailure } from "./describe-failure.js";
import { TEST_SEED, usePool } from "./pool-fixture.js";

/**
 * The contract lets a store skip a write that changes nothing, as long as its cache entry
 * still stands for what is on disk at the stat it records. The model lists both behaviours and
 * never looks at which one a run took: a store that skips and keeps its cache true holds; one
 * that records the file's current stat against its older load loses changes, and is caught.
 */
const TRUE_CACHE = fixtureModule("skip-unchanged-store.mjs");
const STALE_STAT = fixtureModule("skip-unchanged-stale-stat-store.mjs");

describe("a store that skips unchanged writes and keeps its cache true", () => {
  const pool = usePool(TRUE_CACHE);
  for (const property of [noLostUpdate, acpSurvives, tripwireTiming]) {
    it(`${property.id} holds`, { timeout: 300_000 }, async () => {
      const result = await runProperty(property, {
        pool: pool(),
        capabilities: { checkpoints: "hook" },
        closed: new Set(),
        seed: TEST_SEED,
      });
      expect(result.ok, describeFailure(result, TRUE_CACHE)).toBe(true);
    });
  }
});

describe("a store that skips unchanged writes but records the current stat against its load", () => {
  const pool = usePool(STALE_STAT);
  it("fails no-lost-update: a later load serves the store the file no longer holds", { timeout: 300_000 }, async () => {
    // The seed and runs of the command that shows it: `explore --runs 200 --seed 1`.
    const result = await runProperty(noLostUpdate, {
      pool: pool(),
      capabilities: { checkpoints: "hook" },
      closed: new Set(),
      runs: 200,
      seed: 1,
    });
    expect(result.verdict).toBe("failed");
    const ops = result.findings.flatMap((finding) => finding.signature.ops);
    // The skip needs a writer held over another process's change: without the hold there is nothing stale to record.
    expect(ops).toContain("resume");
  });
});
