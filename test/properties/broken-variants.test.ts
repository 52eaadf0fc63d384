import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distDir } from "../../harness/paths.js";
import { propertyById } from "../../properties/catalogue.js";
import { opTokens } from "../../properties/report/op-tokens.js";
import { runProperty } from "../../properties/run/run-property.js";
import { VARIANTS } from "../../variants/catalogue.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { TEST_SEED } from "./pool-fixture.js";

/**
 * A property run that finds nothing must have had the chance to: each broken variant swaps one
 * part of our store, and the property named for it must fail with a shrunk counterexample that
 * contains the bug's operation.
 */
describe("broken variants are caught", () => {
  for (const variant of VARIANTS) {
    it(`${variant.name} (${variant.reference}) fails ${variant.caughtBy}`, { timeout: 300_000 }, async () => {
      const pool = new ActorPool({ storeModule: join(distDir, "variants", "by-name", `${variant.name}.js`) });
      try {
        const result = await runProperty(propertyById(variant.caughtBy), {
          pool,
          capabilities: { checkpoints: "hook" },
          closed: new Set(),
          seed: TEST_SEED,
        });
        expect(result.error).toBeUndefined();
        expect(result.verdict).toBe("failed");
        const tokens = opTokens(result.counterexample!.schedule);
        expect(
          variant.ops.some((op) => tokens.has(op)),
          `shrunk schedule ops: ${[...tokens].join(", ")}`,
        ).toBe(true);
      } finally {
        await pool.close();
      }
    });
  }
});
