import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultStoreModule, distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { runFreeRunning } from "../../harness/schedule/free-running.js";
import { propertyById } from "../../properties/catalogue.js";
import { checkHistory } from "../../properties/checks/check-history.js";
import { convertFreeRunning, type Conversion } from "../../properties/convert/convert.js";
import { closedLimitations, evaluate } from "../../properties/run/evaluate.js";
import { loadScenario } from "../../properties/scenario/load.js";
import { LIMITATION_IDS } from "../../src/types.js";

const SEED = 5;
const out = mkdtempSync(join(tmpdir(), "drift-convert-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A stress run on `storeModule`, checked and converted, on one pool; then `use` replays on it. */
async function stressAndConvert(storeModule: string, run: { seconds: number; gateways: number; externals: number }) {
  const pool = new ActorPool({ storeModule });
  try {
    const history = await runFreeRunning(pool, { ...run, seed: SEED });
    const { violations } = checkHistory(history);
    const closed = closedLimitations(history.capabilities.knownLimitations, LIMITATION_IDS);
    const converted = await convertFreeRunning(history, violations, {
      pool,
      closed,
      seed: SEED,
      out,
      max: 3,
      storeModule,
    });
    return { violations, ...converted };
  } finally {
    await pool.close();
  }
}

/** Replays a converted scenario's schedule for its property on another store: the violations found. */
async function replayOn(storeModule: string, conversion: Extract<Conversion, { kind: "reproduced" }>) {
  const scenario = loadScenario(conversion.file);
  const pool = new ActorPool({ storeModule });
  try {
    return (await evaluate(propertyById(conversion.property), scenario.schedule, pool, new Set())).violations;
  } finally {
    await pool.close();
  }
}

const reproduced = (conversions: Conversion[]) =>
  conversions.filter((c): c is Extract<Conversion, { kind: "reproduced" }> => c.kind === "reproduced");

/** What stress finds becomes a small step-locked scenario that fails where the bug is and holds on our store. */
describe("stress findings converted into scenarios", () => {
  for (const [variant, run, property] of [
    ["no-queue", { seconds: 3, gateways: 1, externals: 0 }, "in-process-merges"],
    ["in-place-write", { seconds: 3, gateways: 2, externals: 1 }, "crash-safety"],
  ] as const) {
    it(`${variant}: a scenario that fails ${property} on the variant in at most 10 steps, and holds on our store`, {
      timeout: 90_000,
    }, async () => {
      const module = join(distDir, "variants", "by-name", `${variant}.js`);
      const { violations, conversions } = await stressAndConvert(module, run);
      expect(violations.length).toBeGreaterThan(0);
      const found = reproduced(conversions).find((c) => c.property === property);
      expect(
        found,
        JSON.stringify(
          conversions.map((c) => [c.kind, c.candidate.kind, c.kind === "reproduced" ? c.property : c.reason]),
        ),
      ).toBeDefined();
      const scenario = loadScenario(found!.file);
      expect(scenario.schedule.steps.length).toBeLessThanOrEqual(10);
      expect(scenario.story).toContain(`--seed ${SEED}`);
      expect(scenario.expect).toEqual([{ store: "under-test", holds: [], fails: [property] }]);
      expect(await replayOn(module, found!)).not.toEqual([]);
      expect(await replayOn(defaultStoreModule, found!)).toEqual([]);
    });
  }

  it("our store: a window that overwrote an external write becomes a mid-flight-drift scenario that reproduces the limitation", {
    timeout: 90_000,
  }, async () => {
    const { violations, conversions } = await stressAndConvert(defaultStoreModule, {
      seconds: 4,
      gateways: 3,
      externals: 2,
    });
    expect(violations).toEqual([]);
    const found = reproduced(conversions).find((c) => c.property === "mid-flight-drift");
    expect(found, JSON.stringify(conversions.map((c) => [c.kind, c.candidate.kind]))).toBeDefined();
    const steps = loadScenario(found!.file).schedule.steps;
    expect(steps.some((step) => "pause" in step && step.pause === "after-load")).toBe(true);
    expect(steps.some((step) => step.op === "resume")).toBe(true);
    expect(JSON.parse(readFileSync(found!.file, "utf8")).found.property).toBe("mid-flight-drift");
    expect(await replayOn(defaultStoreModule, found!)).not.toEqual([]);
  });
});
