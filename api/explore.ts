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
import { explain, explored, type ExploredProperty } from "./explain.js";
import { dailyBaseSeed, shardSeed, type Shard } from "../properties/run/shard.js";
import { renderTable } from "../properties/report/text-table.js";

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
  /** Receives every line `drift-harness explore` prints. Without it nothing is printed. */
  log?: (line: string) => void;
  /** Called after each of a property's runs, e.g. for a progress line. */
  onRun?: (propertyId: string, done: number) => void;
};

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
  const say = opts.log ?? (() => undefined);
  const properties = selectProperties(opts.only);
  const baseSeed = opts.seed ?? (opts.shard ? dailyBaseSeed() : Math.floor(Math.random() * 2 ** 31));
  const seed = opts.shard ? shardSeed(baseSeed, opts.shard) : baseSeed;
  const { pool, capabilities, closed, label } = await openStore(opts);
  try {
    say(`drift-harness explore: store ${label}`);
    say(
      `  node ${pool.nodePath}, seed ${seed}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count} of base seed ${baseSeed})` : ""}${opts.runs ? `, ${opts.runs} runs per property` : ""}`,
    );
    say(
      `  known limitations: ${capabilities.knownLimitations === null ? "not declared (all three assumed)" : capabilities.knownLimitations.join(", ") || "none"}`,
    );
    for (const { feature, reason } of capabilities.absent ?? []) say(`  absent: ${feature}: ${reason}`);
    if (capabilities.checkpoints === "fs")
      say(
        "  note: the store has no _setSessionStoreWriterCheckpointForTest: paused writers are held at the file-system boundary",
      );
    if (capabilities.checkpoints === "none")
      say("  note: the store's writers cannot be held: paused merges are left out of every schedule");
    if (capabilities.serialization === "lock-file") {
      say(
        "  note: writers hold a lock file from load to rename: a writer aimed at another gateway while one is held runs after the holder's resume, and one that finds the lock a killed writer left ends its step blocked",
      );
    }
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
        onRun: (done) => opts.onRun?.(property.id, done),
      });
      return explored(
        ran,
        opts.out === undefined || opts.out === false ? { files: [] } : saveResultFiles(ran, label, opts.out),
        label,
      );
    };
    const printed = (result: ExploredProperty) => {
      const counted = result.findings.length > 1 ? `, ${result.findings.length} findings` : "";
      say(
        `${result.ok ? "✓" : "✗"} ${result.id}: ${result.verdict} (${result.runs} runs, ${result.timeMs} ms${counted})`,
      );
      for (const line of explain(result, label)) say(line);
    };
    let results: ExploredProperty[];
    try {
      // The properties that kill the most processes per schedule (fail-open runs each twice) start first.
      const cost = (property: PropertyDefinition) =>
        killsPerSchedule(property.profile) * (property.againstThrowingEmitter ? 2 : 1);
      const startOrder = properties
        .map((_, index) => index)
        .sort((a, b) => cost(properties[b]!) - cost(properties[a]!) || a - b);
      results = await inOrder(properties, jobs, slotPool, explore1, printed, startOrder);
    } finally {
      await Promise.all(pools.slice(1).map((extra) => extra.close()));
    }
    say("");
    say(summaryTable(results));
    const failed = results.filter((r) => !r.ok);
    const unexplorable = results.filter((r) => r.verdict === "not-explorable").map((r) => r.id);
    if (unexplorable.length > 0) say(`not explorable on this store: ${unexplorable.join(", ")}`);
    const lost = results.flatMap((r) => (r.conflicts ? [r.conflicts] : []));
    if (lost.length > 0) {
      const sum = (key: "writes" | "conflicts") => lost.reduce((total, figure) => total + figure[key], 0);
      say(
        `conflicts: ${sum("conflicts")} of ${sum("writes")} writes failed with the store's conflict error; starvation: the longest run of one writer's losses is ${Math.max(...lost.map((f) => f.longestStreak))}`,
      );
    }
    say(
      failed.length === 0
        ? `all properties hold and every known limitation reproduced${unexplorable.length > 0 ? " (of those that could be explored)" : ""}`
        : `${failed.length} of ${results.length} did not come out as expected`,
    );
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

function summaryTable(results: ExploredProperty[]): string {
  return renderTable(
    ["property", "expected", "runs", "result", "findings", "time"],
    results.map((r) => [
      r.id,
      r.expectation === "hold" ? "holds" : "reproduces",
      String(r.runs),
      `${r.ok ? "ok" : "FAIL"}: ${r.verdict}`,
      String(r.findings.length),
      `${(r.timeMs / 1000).toFixed(1)} s`,
    ]),
  );
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
