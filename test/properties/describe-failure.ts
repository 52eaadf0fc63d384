import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderTimeline } from "../../properties/report/timeline.js";
import type { PropertyResult } from "../../properties/run/run-property.js";
import { saveCounterexample } from "../../properties/scenario/save.js";

/** What a failing test prints: seed, path, the timeline and where the replayable scenario went. */
export function describeFailure(result: PropertyResult, storeModule: string): string {
  const lines = [`${result.id}: ${result.verdict} (seed ${result.seed}, path ${result.path ?? "-"})`];
  if (result.error) lines.push(`error: ${result.error}`);
  if (result.counterexample) {
    lines.push(renderTimeline(result.counterexample.history, result.counterexample.violations));
    const file = saveCounterexample(result, storeModule, join(tmpdir(), "drift-harness-counterexamples"));
    lines.push(`scenario: ${file}`);
  }
  if (result.verdict === "not-reproduced") {
    lines.push(
      `the known limitation ${result.id} no longer reproduces: if it is really fixed, drop it from knownLimitations and update README.md and docs/contract.md`,
    );
  }
  return lines.join("\n");
}
