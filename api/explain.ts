import { defaultStoreModule } from "../harness/paths.js";
import { renderTimeline } from "../properties/report/timeline.js";
import type { PropertyResult } from "../properties/run/run-property.js";

/** A property's result with what a person needs to act on it: the timeline and how to replay it. */
export type ExploredProperty = PropertyResult & {
  /** The shrunk counterexample as a text timeline (one lane per process), when there is one. */
  timeline?: string;
  /** The scenario file the counterexample was saved to. */
  replayFile?: string;
  /** The command that replays it. */
  replayCommand?: string;
};

/** `npx drift-harness replay FILE [--store MODULE]`: `--store` left out for our own store. */
export function replayCommand(file: string, storeModule: string): string {
  return `npx drift-harness replay ${file}${storeModule === defaultStoreModule ? "" : ` --store ${storeModule}`}`;
}

/** Attaches the timeline of a result's counterexample. */
export function withTimeline(result: PropertyResult): ExploredProperty {
  const found = result.counterexample;
  return found ? { ...result, timeline: renderTimeline(found.history, found.violations) } : { ...result };
}

/**
 * What `explore` prints for one property after its verdict line: why a limitation stopped
 * reproducing, a harness error, or the counterexample with its seed, path, timeline and replay command.
 */
export function explain(result: ExploredProperty): string[] {
  const lines: string[] = [];
  if (result.verdict === "not-reproduced") {
    lines.push(`  LIMITATION NO LONGER REPRODUCES: ${result.id} found no counterexample in ${result.runs} runs (seed ${result.seed}).`);
    lines.push("  If the store really closed it, remove it from knownLimitations and update README.md and docs/contract.md.");
  }
  if (result.error) lines.push(`  harness error: ${result.error} (seed ${result.seed}, path ${result.path})`);
  const found = result.counterexample;
  if (!found) return lines;
  const label = result.verdict === "reproduced" ? "reproduced" : "COUNTEREXAMPLE";
  lines.push(`  ${label}: seed ${result.seed}, path ${result.path ?? "-"}, ${found.schedule.steps.length} step(s)`);
  for (const line of (result.timeline ?? "").split("\n")) lines.push(`    ${line}`);
  if (result.replayCommand) lines.push(`  replay: ${result.replayCommand}`);
  return lines;
}
