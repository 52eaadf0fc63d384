import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PropertyResult } from "../run/run-property.js";
import type { ScenarioInput } from "./schema.js";

/** Writes a failed property's shrunk counterexample as a replayable scenario file; returns its path. */
export function saveCounterexample(result: PropertyResult, storeModule: string, outDir: string): string | undefined {
  const found = result.counterexample;
  if (!found) return undefined;
  const scenario: ScenarioInput = {
    name: `${result.id} counterexample (seed ${result.seed})`,
    story: found.violations[0]?.message ?? result.title,
    schedule: found.schedule,
    expect: [{ store: "under-test", fails: [result.id] }],
    found: { property: result.id, store: storeModule, seed: result.seed, ...(result.path ? { path: result.path } : {}), violations: found.violations },
  };
  mkdirSync(outDir, { recursive: true });
  const file = resolve(join(outDir, `${result.id}-seed${result.seed}.json`));
  writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
  return file;
}
