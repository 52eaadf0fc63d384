import type { ActorPool } from "../../harness/pool/pool.js";
import type { Capabilities } from "../../harness/protocol.js";
import type { LimitationId } from "../../src/types.js";
import type { PropertyDefinition } from "../definition.js";
import { saveFindings } from "../scenario/save.js";
import { DEFAULT_FINDINGS } from "./findings.js";
import { runProperty, type PropertyResult } from "./run-property.js";

/** A property's result with the scenario file written for each of its findings (same order). */
export type ExploredProperty = PropertyResult & { files: string[] };

export type ExplorePropertiesOptions = {
  pool: ActorPool;
  capabilities: Capabilities;
  closed: ReadonlySet<LimitationId>;
  properties: readonly PropertyDefinition[];
  seed: number;
  runs?: number;
  /** Distinct findings per property (default DEFAULT_FINDINGS). */
  findings?: number;
  /** Where every finding's scenario file is written. */
  out: string;
  onRun?: (property: PropertyDefinition, done: number) => void;
  /** After each property, e.g. to print it while the next one runs. */
  onResult?: (result: ExploredProperty) => void;
};

/**
 * What `explore` computes, without printing: every property run on one store, each finding
 * saved as a replayable scenario. Ok when every result is (held, reproduced, not explorable).
 */
export async function exploreProperties(opts: ExplorePropertiesOptions): Promise<{ ok: boolean; results: ExploredProperty[] }> {
  const results: ExploredProperty[] = [];
  for (const property of opts.properties) {
    const result = await runProperty(property, {
      pool: opts.pool,
      capabilities: opts.capabilities,
      closed: opts.closed,
      runs: opts.runs,
      seed: opts.seed,
      findings: opts.findings ?? DEFAULT_FINDINGS,
      onRun: (done) => opts.onRun?.(property, done),
    });
    const explored = { ...result, files: saveFindings(result, opts.pool.storeModule, opts.out) };
    results.push(explored);
    opts.onResult?.(explored);
  }
  return { ok: results.every((result) => result.ok), results };
}

/** A result as the --json summary holds it: every finding with its signature and file, no histories. */
export function summaryOf({ counterexample, findings, files, ...rest }: ExploredProperty) {
  return {
    ...rest,
    findingCount: findings.length,
    violations: counterexample?.violations,
    findings: findings.map((finding, i) => ({ signature: finding.signature, path: finding.path, file: files[i], violations: finding.counterexample.violations })),
  };
}
