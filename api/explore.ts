import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { ActorPool } from "../harness/pool/pool.js";
import type { Capabilities } from "../harness/protocol.js";
import { killsPerSchedule } from "../properties/arbitraries/profile.js";
import { PROPERTIES, propertyById, UnknownPropertyError } from "../properties/catalogue.js";
import type { PropertyDefinition } from "../properties/definition.js";
import { runProperty } from "../properties/run/run-property.js";
import { DEFAULT_FINDINGS } from "../properties/run/findings.js";
import { saveResultFiles } from "../properties/scenario/save.js";
import { UsageError } from "./errors.js";
import { inOrder } from "./in-order.js";
import { openStore } from "./open-store.js";
import type { TargetOptions } from "./store-target.js";
import { explored, type ExploredProperty } from "./explain.js";
import { dailyBaseSeed, shardSeed, type Shard } from "../properties/run/shard.js";

export type ExploreOptions = TargetOptions & {
  /** Schedules per property (default: each property's own; a limitation's own budget is a floor). */
  runs?: number;
  /** fast-check seed (default: random; with `shard`, today's UTC date as the base). */
  seed?: number;
  /** Property and limitation ids to run (default: all, in catalogue order). */
  only?: string[];
  /** Explore shard `index` of `count`: a disjoint part of the seed space of the base seed. */
  shard?: Shard;
  /** Distinct findings reported per property (default 5); a limitation stops at its first. */
  findings?: number;
  /**
   * Properties run at once, each on its own pool of processes (default: the number of cores,
   * at most the number of properties). The results do not depend on it.
   */
  jobs?: number;
  /** Where counterexample scenario files are written; without it (or `false`), nowhere: the API writes no file unless asked. */
  out?: string | false;
  /** Also write the summary as JSON to this file (the shape `merge` reads). */
  json?: string;
  /** Receives progress as data: the run's start, each property's runs, each property's result. */
  onEvent?: (event: ExploreEvent) => void;
};

/** What `explore` reports while it runs; `drift-harness explore` prints each one. */
export type ExploreEvent =
  | {
      type: "start";
      store: string;
      node: string;
      seed: number;
      baseSeed: number;
      shard?: Shard;
      runs?: number;
      capabilities: Capabilities;
    }
  /** A property finished its `done`-th run. */
  | { type: "run"; property: string; done: number }
  /** A property's result, in the order the properties were asked for. */
  | { type: "property"; result: ExploredProperty };

export type ExploreResult = {
  store: string;
  node: string;
  seed: number;
  baseSeed: number;
  shard?: Shard;
  capabilities: Capabilities;
  /** One per property, in the order they ran. */
  results: ExploredProperty[];
  /** Every property held and every declared limitation reproduced. */
  ok: boolean;
  /** What the CLI exits with: 0 when `ok`, else 1. */
  exitCode: 0 | 1;
};

/** Conflict figures summed over the properties that counted them (a store that refuses conflicting writes). */
export type ConflictTotals = { writes: number; conflicts: number; longestStreak: number };

/**
 * Runs every property and known limitation (or those in `only`) against a store, in real
 * processes, and returns the verdicts, the shrunk counterexamples and their replay files.
 * Throws a UsageError for bad options or a store that does not meet the contract.
 *
 * @example
 * const result = await explore({ store: "./dist/store.js", runs: 50, seed: 1 });
 * if (!result.ok) console.log(result.results.filter((r) => !r.ok).map((r) => r.timeline));
 */
export async function explore(opts: ExploreOptions = {}): Promise<ExploreResult> {
  const emit = opts.onEvent ?? (() => undefined);
  const properties = selectProperties(opts.only);
  const baseSeed = opts.seed ?? (opts.shard ? dailyBaseSeed() : Math.floor(Math.random() * 2 ** 31));
  const seed = opts.shard ? shardSeed(baseSeed, opts.shard) : baseSeed;
  const { pool, capabilities, closed, label } = await openStore(opts);
  try {
    emit({
      type: "start",
      store: label,
      node: pool.nodePath,
      seed,
      baseSeed,
      ...(opts.shard ? { shard: opts.shard } : {}),
      ...(opts.runs ? { runs: opts.runs } : {}),
      capabilities,
    });
    const jobs = opts.jobs ?? Math.min(availableParallelism(), properties.length);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`jobs must be a positive whole number, got ${jobs}`);
    // The first slot uses the probed pool; each other slot starts its own on first use.
    const pools = [pool];
    const slotPool = (slot: number) =>
      slot === 0
        ? pool
        : (pools[pools.length] = new ActorPool({
            storeModule: pool.storeModule,
            nodePath: pool.nodePath,
            stepTimeoutMs: pool.stepTimeoutMs,
          }));
    const explore1 = async (property: PropertyDefinition, slot: ActorPool): Promise<ExploredProperty> => {
      const ran = await runProperty(property, {
        pool: slot,
        capabilities,
        closed,
        runs: opts.runs,
        seed,
        findings: opts.findings ?? DEFAULT_FINDINGS,
        onRun: (done) => emit({ type: "run", property: property.id, done }),
      });
      return explored(
        ran,
        opts.out === undefined || opts.out === false ? { files: [] } : saveResultFiles(ran, label, opts.out),
        label,
      );
    };
    const reported = (result: ExploredProperty) => emit({ type: "property", result });
    let results: ExploredProperty[];
    try {
      // The properties that kill the most processes per schedule (fail-open runs each twice) start first.
      const cost = (property: PropertyDefinition) =>
        killsPerSchedule(property.profile) * (property.againstThrowingEmitter ? 2 : 1);
      const startOrder = properties
        .map((_, index) => index)
        .sort((a, b) => cost(properties[b]!) - cost(properties[a]!) || a - b);
      results = await inOrder(properties, jobs, slotPool, explore1, reported, startOrder);
    } finally {
      await Promise.all(pools.slice(1).map((extra) => extra.close()));
    }
    const failed = results.filter((r) => !r.ok);
    const result: ExploreResult = {
      store: label,
      node: pool.nodePath,
      seed,
      baseSeed,
      ...(opts.shard ? { shard: opts.shard } : {}),
      capabilities,
      results,
      ok: failed.length === 0,
      exitCode: failed.length === 0 ? 0 : 1,
    };
    if (opts.json) writeFileSync(opts.json, `${JSON.stringify(summaryJson(result), null, 2)}\n`);
    return result;
  } finally {
    await pool.close();
  }
}

/** The properties `only` names, in its order; all of them without it. An unknown id is a UsageError listing the known ones. */
export function selectProperties(only: string[] | undefined): readonly PropertyDefinition[] {
  if (!only) return PROPERTIES;
  try {
    return only.map(propertyById);
  } catch (error) {
    // One message for an unknown id, the catalogue's; for the API's callers, a UsageError.
    if (error instanceof UnknownPropertyError) throw new UsageError(error.message);
    throw error;
  }
}

/** The conflict figures of `results` summed, or undefined when no property counted any. */
export function conflictTotals(results: readonly ExploredProperty[]): ConflictTotals | undefined {
  const counted = results.flatMap((r) => (r.conflicts ? [r.conflicts] : []));
  if (counted.length === 0) return undefined;
  const sum = (key: "writes" | "conflicts") => counted.reduce((total, figure) => total + figure[key], 0);
  return {
    writes: sum("writes"),
    conflicts: sum("conflicts"),
    longestStreak: Math.max(...counted.map((f) => f.longestStreak)),
  };
}

/** The `--json` summary: everything but the histories. */
function summaryJson(result: ExploreResult) {
  return {
    store: result.store,
    seed: result.seed,
    baseSeed: result.baseSeed,
    ...(result.shard ? { shard: result.shard } : {}),
    results: result.results.map(({ counterexample, findings, files, timeline: _timeline, ...rest }) => ({
      ...rest,
      findingCount: findings.length,
      violations: counterexample?.violations,
      findings: findings.map((finding, i) => ({
        signature: finding.signature,
        path: finding.path,
        file: files[i],
        violations: finding.counterexample.violations,
      })),
    })),
  };
}
