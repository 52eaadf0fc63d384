import { resolveStoreSpec } from "../../adapters/registry.js";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultStoreModule, projectRoot } from "../../harness/paths.js";
import { renderTimeline } from "../../properties/report/timeline.js";
import { replayScenario } from "../../properties/run/replay.js";
import { StoreSessions } from "../../properties/run/stores.js";
import { loadScenario } from "../../properties/scenario/load.js";
import { isReleaseRef } from "../../properties/scenario/schema.js";
import { LIMITATION_IDS, type LimitationId } from "../../src/types.js";

const isLimitation = (id: string): id is LimitationId => (LIMITATION_IDS as readonly string[]).includes(id);

const corpusDir = join(projectRoot, "scenarios", "reported");
const files = readdirSync(corpusDir)
  .filter((name) => name.endsWith(".json"))
  .sort();

/**
 * The corpus of reported bugs, replayed both ways: each fails where its bug is (a broken
 * variant, or our store for a documented limitation) and holds where it is not.
 */
describe("the reported-bug corpus", () => {
  const stores = new StoreSessions(defaultStoreModule, (ref) => resolveStoreSpec(ref));
  afterAll(() => stores.close());

  it("has at least ten reports", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    it(file, { timeout: 60_000 }, async () => {
      const scenario = loadScenario(join(corpusDir, file));
      expect(scenario.reference, "a report reference").toBeTruthy();
      expect(scenario.story, "a one-line story").toBeTruthy();
      expect(scenario.symptom, "the symptom").toBeTruthy();
      // Checked both ways: something must fail somewhere, something must hold somewhere.
      expect(scenario.expect.some((e) => e.fails.length > 0)).toBe(true);
      expect(scenario.expect.some((e) => e.holds.length > 0)).toBe(true);
      // A documented limitation of our store is closed by the hardened one: the file says so.
      const limitations = scenario.expect
        .filter((e) => e.store === "under-test")
        .flatMap((e) => e.fails.filter(isLimitation));
      const hardened = scenario.expect.find((e) => e.store === "hardened");
      for (const id of limitations) expect(hardened?.holds ?? [], `${id} holds on the hardened store`).toContain(id);
      // Expectations on published releases need the cache: test/scenarios/corpus-releases.test.ts and npm run corpus:releases.
      const result = await replayScenario(scenario, stores, (store) => !isReleaseRef(store));
      const unexpected = result.verdicts.filter((v) => !v.ok);
      const timelines = result.evaluations.map(
        ({ store, evaluation }) => `on ${store}:\n${renderTimeline(evaluation.history, evaluation.violations)}`,
      );
      expect(unexpected, timelines.join("\n")).toEqual([]);
    });
  }
});
