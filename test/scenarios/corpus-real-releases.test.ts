import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/paths.js";
import { loadScenario } from "../../properties/scenario/load.js";
import { isReleaseRef } from "../../properties/scenario/schema.js";

const corpusDir = join(projectRoot, "scenarios", "reported");
const openclaw = readdirSync(corpusDir)
  .filter((name) => name.startsWith("openclaw-") && name.endsWith(".json"))
  .sort();

/**
 * Every openclaw report says how it shows on the published releases: the code evidence with the
 * releases where it fails (and where it holds, when a release fixed it), or exactly why it
 * cannot be seen there. `npm run corpus:releases` replays those expectations on the releases.
 */
describe("the corpus on openclaw's releases", () => {
  for (const file of openclaw) {
    it(file, () => {
      const scenario = loadScenario(join(corpusDir, file));
      const onReleases = scenario.expect.filter((e) => isReleaseRef(e.store));
      expect(scenario.realRelease, "realRelease: the evidence, or why the releases cannot show it").toBeDefined();
      if (scenario.realRelease && "evidence" in scenario.realRelease) {
        expect(
          onReleases.some((e) => e.fails.length > 0),
          "a release where it fails",
        ).toBe(true);
        for (const e of onReleases)
          expect(scenario.realRelease.evidence, `the evidence names ${e.store}`).toContain(
            e.store.slice("openclaw@".length),
          );
      }
    });
  }
});
