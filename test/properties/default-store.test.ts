import { describe, expect, it } from "vitest";
import { defaultStoreModule } from "../../harness/paths.js";
import { PROPERTIES } from "../../properties/catalogue.js";
import { runProperty } from "../../properties/run/run-property.js";
import { describeFailure } from "./describe-failure.js";
import { TEST_SEED, testRuns, usePool } from "./pool-fixture.js";

/**
 * Every property against our store in real processes: the eight hold, and each of the three
 * known limitations is reproduced (a limitation that stops reproducing fails here, loudly).
 */
describe("the default store", () => {
  const pool = usePool(defaultStoreModule);
  for (const property of PROPERTIES) {
    const expectation = property.limitation ? "reproduces (known limitation)" : "holds";
    it(`${property.id} ${expectation}`, { timeout: 300_000 }, async () => {
      const result = await runProperty(property, {
        pool: pool(),
        capabilities: { checkpoints: "hook" },
        closed: new Set(),
        seed: TEST_SEED,
        runs: testRuns(property),
      });
      expect(result.expectation).toBe(property.limitation ? "reproduce" : "hold");
      expect(result.ok, describeFailure(result, defaultStoreModule)).toBe(true);
      if (property.limitation) expect(result.counterexample!.schedule.steps.length).toBeLessThanOrEqual(6);
    });
  }
});
