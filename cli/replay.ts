import { ContractError } from "../harness/actors/store-module.js";
import { ActorError } from "../harness/pool/actor-process.js";
import { renderTimeline } from "../properties/report/timeline.js";
import { closedLimitations } from "../properties/run/evaluate.js";
import { replayScenario } from "../properties/run/replay.js";
import { loadScenario, ScenarioFileError } from "../properties/scenario/load.js";
import { LIMITATION_IDS } from "../src/types.js";
import { probeStore } from "./probe-store.js";
import { poolFor, UsageError, type StoreOptions } from "./store-option.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

/** Replays scenario files against a store: the timeline and a verdict per file; exit 0, 1 or 2. */
export async function replay(files: string[], opts: StoreOptions): Promise<number> {
  let scenarios;
  try {
    scenarios = files.map((file) => ({ file, scenario: loadScenario(file) }));
  } catch (error) {
    if (error instanceof ScenarioFileError) throw new UsageError(error.message);
    throw error;
  }
  const pool = poolFor(opts);
  try {
    const capabilities = await probeStore(pool).catch((error: unknown) => {
      throw error instanceof ActorError || error instanceof ContractError ? new UsageError((error as Error).message) : error;
    });
    const closed = closedLimitations(capabilities.knownLimitations, LIMITATION_IDS);
    let failures = 0;
    for (const { file, scenario } of scenarios) {
      const { verdicts, evaluation } = await replayScenario(scenario, pool, closed);
      const ok = verdicts.every((verdict) => verdict.ok);
      if (!ok) failures++;
      say(`${ok ? "✓" : "✗"} ${file}: ${scenario.name}${scenario.reference ? ` [${scenario.reference}]` : ""}`);
      if (evaluation) {
        const violations = verdicts.flatMap((verdict) => verdict.violations);
        for (const line of renderTimeline(evaluation.history, violations).split("\n")) say(`    ${line}`);
      }
      for (const verdict of verdicts) {
        const came = verdict.held ? "held" : "failed";
        say(`    ${verdict.ok ? "ok" : "UNEXPECTED"}: ${verdict.property} ${came} (expected: ${verdict.expected})`);
      }
    }
    say(`${scenarios.length - failures} of ${scenarios.length} scenario(s) came out as expected`);
    return failures === 0 ? 0 : 1;
  } finally {
    await pool.close();
  }
}
