import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Finding, PropertyResult } from "../run/run-property.js";
import type { ScenarioInput } from "./schema.js";

/** Writes a scenario as `outDir/fileName` (making the folder), pretty-printed; returns the absolute path. */
export function writeScenario(outDir: string, fileName: string, scenario: ScenarioInput): string {
  mkdirSync(outDir, { recursive: true });
  const file = resolve(join(outDir, fileName));
  writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
  return file;
}

/** A finding's scenario file name: the first keeps the name it always had, the n-th gets `-finding<n>`. */
export const findingFileName = (result: Pick<PropertyResult, "id" | "seed">, index: number): string =>
  `${result.id}-seed${result.seed}${index === 0 ? "" : `-finding${index + 1}`}.json`;

/** Writes one finding's shrunk counterexample as a replayable scenario file; returns its path. */
export function saveFinding(
  result: PropertyResult,
  finding: Finding,
  index: number,
  storeModule: string,
  outDir: string,
): string {
  const found = finding.counterexample;
  const headline = found.violations.find((v) => v.check === finding.signature.check) ?? found.violations[0];
  const scenario: ScenarioInput = {
    name: `${result.id} counterexample (seed ${result.seed}${index === 0 ? "" : `, finding ${index + 1}`})`,
    story: headline?.message ?? result.title,
    schedule: found.schedule,
    expect: [{ store: "under-test", fails: [result.id] }],
    found: {
      property: result.id,
      store: storeModule,
      seed: result.seed,
      ...(finding.path ? { path: finding.path } : {}),
      signature: { check: finding.signature.check, ops: finding.signature.ops },
      // What the file records of each: where, which check, what; the oracle's internal marks stay in the run.
      violations: found.violations.map(({ step, actor, check, message }) => ({ step, actor, check, message })),
    },
  };
  return writeScenario(outDir, findingFileName(result, index), scenario);
}

/** Writes every finding of a property (in the order found); returns their paths. */
export function saveFindings(result: PropertyResult, storeModule: string, outDir: string): string[] {
  return result.findings.map((finding, index) => saveFinding(result, finding, index, storeModule, outDir));
}

/** Writes a failed property's first shrunk counterexample as a replayable scenario file; returns its path. */
export function saveCounterexample(result: PropertyResult, storeModule: string, outDir: string): string | undefined {
  const first = result.findings[0];
  return first ? saveFinding(result, first, 0, storeModule, outDir) : undefined;
}

/** The file name of the schedule a property's run errored on. */
export const errorFileName = (result: Pick<PropertyResult, "id" | "seed">): string =>
  `${result.id}-seed${result.seed}-error.json`;

/**
 * Writes the schedule a property's run errored on (a harness or store error, not a violation; shrunk by fast-check)
 * as a scenario file whose replay runs into the same error; returns its path, or undefined when
 * the run did not error. It expects what explore expected of the property.
 */
export function saveErrorRun(result: PropertyResult, storeModule: string, outDir: string): string | undefined {
  if (!result.errorRun || result.error === undefined) return undefined;
  const expected = result.expectation === "hold" ? { holds: [result.id] } : { fails: [result.id] };
  const scenario: ScenarioInput = {
    name: `${result.id} run that errored (seed ${result.seed})`,
    story: `explore errored on this schedule (fast-check shrank it while runs kept failing, with this error or another): ${result.error}`,
    schedule: result.errorRun.schedule,
    expect: [{ store: "under-test", ...expected }],
    found: {
      property: result.id,
      store: storeModule,
      seed: result.seed,
      ...(result.errorRun.path ? { path: result.errorRun.path } : {}),
      violations: [],
    },
  };
  return writeScenario(outDir, errorFileName(result), scenario);
}

/** Every file a property's result needs to be replayed: its findings', in order, and its error run's. */
export function saveResultFiles(
  result: PropertyResult,
  storeModule: string,
  outDir: string,
): { files: string[]; errorFile?: string } {
  const errorFile = saveErrorRun(result, storeModule, outDir);
  return { files: saveFindings(result, storeModule, outDir), ...(errorFile ? { errorFile } : {}) };
}
