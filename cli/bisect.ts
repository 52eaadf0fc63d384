import { bisectReleases, type BisectStep } from "../matrix/bisect.js";
import { openRelease } from "../matrix/release-session.js";
import { releaseSpec } from "../matrix/release-set.js";
import { scenarioVerdict, type ScenarioVerdict } from "../matrix/scenario-verdict.js";
import { loadScenarioFile } from "../api/load-scenario.js";
import { releasesFor } from "./release-set-option.js";
import { UsageError } from "./store-option.js";

export type BisectOptions = { store?: string; prereleases?: boolean };

const say = (line = "") => process.stdout.write(`${line}\n`);

function describe(step: BisectStep, baseline: string): string {
  const what = step.verdict.kind === "absent" ? `cannot be run (${step.verdict.reason})` : step.signature;
  switch (step.conclusion) {
    case "baseline":
      return `${releaseSpec(step.version)}: ${what}: the verdict to compare with`;
    case "same":
      return `${releaseSpec(step.version)}: ${what}: same as ${baseline}'s, so the change comes after it`;
    case "differs":
      return `${releaseSpec(step.version)}: ${what}: differs from ${baseline}'s, so the change is here or before`;
    case "skipped":
      return `${releaseSpec(step.version)}: ${what}: skipped`;
  }
}

/**
 * The first release where a scenario's verdict differs from the first release's: exit 0 found,
 * 1 the verdict never changes in the range, 2 bad input (including a first release that cannot
 * be run).
 */
export async function bisect(file: string, opts: BisectOptions): Promise<number> {
  const scenario = loadScenarioFile(file);
  const versions = await releasesFor(opts.store, opts);
  if (versions.length < 2)
    throw new UsageError(
      `--store ${opts.store}: bisect needs at least two releases, got ${versions.join(", ") || "none"}`,
    );
  say(`bisect ${file} over ${versions.length} releases: ${versions.join(" ")}`);
  const judge = async (version: string): Promise<ScenarioVerdict> => {
    const opened = await openRelease(version, {});
    if (opened.kind === "absent") return { kind: "absent", reason: opened.reason };
    try {
      return await scenarioVerdict(scenario, opened.session);
    } finally {
      await opened.close();
    }
  };
  const started = Date.now();
  const result = await bisectReleases(versions, judge, (step) => say(describe(step, versions[0]!)));
  const tried = `${result.steps.length} release(s) tried in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (result.kind === "baseline-absent")
    throw new UsageError(
      `${releaseSpec(versions[0]!)} cannot be run, so there is no verdict to compare with: ${result.reason}`,
    );
  if (result.kind === "never-changes") {
    say(`${tried}; the verdict is the same at both ends of the range: it never changes`);
    return 1;
  }
  if (result.skipped.length > 0) {
    say(
      `note: ${result.skipped.map(releaseSpec).join(", ")} could not be run; the change may be in ${result.skipped.length === 1 ? "it" : "one of them"} (after ${releaseSpec(result.lastSame)})`,
    );
  }
  say(tried);
  say(`first release where the verdict changes: ${result.first}`);
  return 0;
}
