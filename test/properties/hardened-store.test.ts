import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distDir } from "../../harness/paths.js";
import { PROPERTIES } from "../../properties/catalogue.js";
import { closedLimitations } from "../../properties/run/evaluate.js";
import { runProperty } from "../../properties/run/run-property.js";
import { LIMITATION_IDS } from "../../src/types.js";
import { describeFailure } from "./describe-failure.js";
import { TEST_SEED, testRuns, usePool } from "./pool-fixture.js";

const hardenedStoreModule = join(distDir, "src", "hardened.js");

/**
 * Every property against the hardened store in real processes. It declares no known
 * limitation, so the three limitations are ordinary properties here and must hold like the rest.
 */
describe("the hardened store", () => {
  const pool = usePool(hardenedStoreModule);
  const closed = closedLimitations([], LIMITATION_IDS);

  it("closes all three limitations", () => {
    expect([...closed].sort()).toEqual([...LIMITATION_IDS].sort());
  });

  for (const property of PROPERTIES) {
    it(`${property.id} holds`, { timeout: 300_000 }, async () => {
      const result = await runProperty(property, {
        pool: pool(),
        capabilities: { checkpoints: "hook" },
        closed,
        seed: TEST_SEED,
        runs: testRuns(property),
      });
      expect(result.expectation).toBe("hold");
      expect(result.ok, describeFailure(result, hardenedStoreModule)).toBe(true);
    });
  }
});
