import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Finding, PropertyResult } from "../run/run-property.js";
import type { ScenarioInput } from "./schema.js";

/** A finding's scenario file name: the first keeps the name it always had, the n-th gets `-finding<n>`. */
export const findingFileName = (result: Pick<PropertyResult, "id" | "seed">, index: number): string =>
  `${result.id}-seed${result.seed}${index === 0 ? "" : `-finding${index + 1}`}.json`;

/** Writes one finding's shrunk counterexample as a replayable scenario file; returns its path. */
export function saveFinding(result: PropertyResult, finding: Finding, index: number, storeModule: string, outDir: string): string {
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
      violations: found.violations,
    },
  };
  mkdirSync(outDir, { recursive: true });
  const file = resolve(join(outDir, findingFileName(result, index)));
  writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
  return file;
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
