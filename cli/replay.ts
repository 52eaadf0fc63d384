import { renderTimeline } from "../properties/report/timeline.js";
import { replayScenario } from "../properties/run/replay.js";
import { StoreSessions } from "../properties/run/stores.js";
import { loadScenario, ScenarioFileError } from "../properties/scenario/load.js";
import { storeFor, UsageError, type StoreOptions } from "./store-option.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

/**
 * Replays scenario files: each expectation on the store it names (`under-test` is `--store`),
 * the timeline and a verdict per property; exit 0 all as expected, 1 not, 2 bad usage.
 */
export async function replay(files: string[], opts: StoreOptions): Promise<number> {
  let scenarios;
  try {
    scenarios = files.map((file) => ({ file, scenario: loadScenario(file) }));
  } catch (error) {
    if (error instanceof ScenarioFileError) throw new UsageError(error.message);
    throw error;
  }
  const { storeModule, nodePath } = await storeFor(opts);
  const stores = new StoreSessions(storeModule, nodePath);
  try {
    let failures = 0;
    for (const { file, scenario } of scenarios) {
      const result = await replayScenario(scenario, stores).catch((error: unknown) => {
        throw new UsageError(`${file}: ${(error as Error).message}`);
      });
      if (!result.ok) failures++;
      say(`${result.ok ? "✓" : "✗"} ${file}: ${scenario.name}${scenario.reference ? ` [${scenario.reference}]` : ""}`);
      if (scenario.story) say(`    ${scenario.story}`);
      for (const { store, evaluation } of result.evaluations) {
        say(`    on ${store}:`);
        for (const line of renderTimeline(evaluation.history, evaluation.violations).split("\n")) say(`      ${line}`);
      }
      for (const verdict of result.verdicts) {
        say(`    ${verdict.ok ? "ok" : "UNEXPECTED"}: ${verdict.store}: ${verdict.property} ${verdict.held ? "held" : "failed"} (expected: ${verdict.expected})`);
      }
    }
    say(`${scenarios.length - failures} of ${scenarios.length} scenario(s) came out as expected`);
    return failures === 0 ? 0 : 1;
  } finally {
    await stores.close();
  }
}
