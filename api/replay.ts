import { resolveStoreSpec } from "../adapters/registry.js";
import { renderTimeline } from "../properties/report/timeline.js";
import { replayScenario, type ReplayResult } from "../properties/run/replay.js";
import { StoreSessions } from "../properties/run/stores.js";
import type { Scenario } from "../properties/scenario/schema.js";
import { loadScenarioFile } from "./load-scenario.js";
import { UsageError } from "./errors.js";
import { resolveStoreTarget, type TargetOptions } from "./store-target.js";

export type ReplayOptions = TargetOptions & {
  /** Receives each scenario's result as soon as it is replayed, in the order of `files`. */
  onScenario?: (replayed: ReplayedScenario) => void;
};

/** One scenario file replayed: its verdicts, and a timeline of the run shown for each store. */
export type ReplayedScenario = ReplayResult & {
  file: string;
  scenario: Scenario;
  timelines: { store: string; timeline: string }[];
};

export type ReplayRunResult = {
  store: string;
  scenarios: ReplayedScenario[];
  /** Every expectation of every scenario came out as expected. */
  ok: boolean;
  exitCode: 0 | 1;
};

/**
 * Replays scenario files: each expectation on the store it names (`under-test` is `store`,
 * our own store by default), once per property, as fresh real runs. Throws a UsageError for a
 * bad scenario file (naming the file and the field) or a store that does not meet the contract.
 *
 * @example
 * const { ok, scenarios } = await replay(["counterexamples/no-lost-update-seed1.json"], { store: "./dist/store.js" });
 */
export async function replay(files: string[], opts: ReplayOptions = {}): Promise<ReplayRunResult> {
  const loaded = files.map((file) => ({ file, scenario: loadScenarioFile(file) }));
  const { storeModule, nodePath } = await resolveStoreTarget(opts);
  const stores = new StoreSessions(storeModule, (ref) => resolveStoreSpec(ref), nodePath);
  try {
    const scenarios: ReplayedScenario[] = [];
    for (const { file, scenario } of loaded) {
      const result = await replayScenario(scenario, stores).catch((error: unknown) => {
        throw new UsageError(`${file}: ${(error as Error).message}`);
      });
      const timelines = result.evaluations.map(({ store, evaluation }) => ({
        store,
        timeline: renderTimeline(evaluation.history, evaluation.violations),
      }));
      const replayed: ReplayedScenario = { ...result, file, scenario, timelines };
      scenarios.push(replayed);
      opts.onScenario?.(replayed);
    }
    const failures = scenarios.filter((scenario) => !scenario.ok).length;
    return { store: storeModule, scenarios, ok: failures === 0, exitCode: failures === 0 ? 0 : 1 };
  } finally {
    await stores.close();
  }
}
