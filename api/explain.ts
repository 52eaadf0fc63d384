import { defaultStoreModule } from "../harness/paths.js";
import { renderTimeline } from "../properties/report/timeline.js";
import { showSignature } from "../properties/run/findings.js";
import type { PropertyResult } from "../properties/run/run-property.js";

/** A property's result with what a person needs to act on it: the timelines and how to replay each finding. */
export type ExploredProperty = PropertyResult & {
  /** The scenario file of each finding, in the order of `findings` (empty when none was written). */
  files: string[];
  /** The first finding's shrunk counterexample as a text timeline (one lane per process). */
  timeline?: string;
  /** The first finding's scenario file. */
  replayFile?: string;
  /** The command that replays it. */
  replayCommand?: string;
  /** The scenario file of the schedule the run errored on (see `errorRun`). */
  errorFile?: string;
};

/** `npx drift-harness replay FILE [--store STORE]`: `--store` left out for our own store. */
export function replayCommand(file: string, store: string): string {
  return `npx drift-harness replay ${file}${store === defaultStoreModule ? "" : ` --store ${store}`}`;
}

/** Attaches the files the findings were saved to, the first finding's timeline and its replay command. */
export function explored(
  result: PropertyResult,
  saved: { files: string[]; errorFile?: string },
  store: string,
): ExploredProperty {
  const found = result.counterexample;
  const { files, errorFile } = saved;
  return {
    ...result,
    files,
    ...(errorFile ? { errorFile } : {}),
    ...(found ? { timeline: renderTimeline(found.history, found.violations) } : {}),
    ...(files[0] ? { replayFile: files[0], replayCommand: replayCommand(files[0], store) } : {}),
  };
}

/**
 * What `explore` prints for one property after its verdict line: why it could not be explored,
 * why a limitation stopped reproducing, a harness error, or each finding with its seed, path,
 * signature, timeline and replay command.
 */
export function explain(result: ExploredProperty, store: string): string[] {
  const lines: string[] = [];
  if (result.verdict === "not-explorable") lines.push(`  not explorable here, because ${result.notExplorable}`);
  if (result.verdict === "not-reproduced") {
    lines.push(
      `  LIMITATION NO LONGER REPRODUCES: ${result.id} found no counterexample in ${result.runs} runs (seed ${result.seed}).`,
    );
    lines.push(
      "  If the store really closed it, remove it from knownLimitations and update README.md and docs/contract.md.",
    );
  }
  if (result.error !== undefined) {
    lines.push(`  harness error: ${result.error} (seed ${result.seed}, path ${result.errorRun?.path ?? "-"})`);
    if (result.errorFile) lines.push(`  replay the run that errored: ${replayCommand(result.errorFile, store)}`);
  }
  result.findings.forEach((finding, i) => {
    const found = finding.counterexample;
    const label = result.verdict === "reproduced" ? "reproduced" : "COUNTEREXAMPLE";
    const which = result.findings.length > 1 ? ` ${i + 1} of ${result.findings.length}` : "";
    lines.push(
      `  ${label}${which}: seed ${result.seed}, path ${finding.path ?? "-"}, ${found.schedule.steps.length} step(s), finding ${showSignature(finding.signature)}`,
    );
    for (const line of renderTimeline(found.history, found.violations).split("\n")) lines.push(`    ${line}`);
    const file = result.files[i];
    if (file) lines.push(`  replay: ${replayCommand(file, store)}`);
  });
  return lines;
}
