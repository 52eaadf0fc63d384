import { writeFileSync } from "node:fs";
import { ContractError } from "../harness/actors/store-module.js";
import { ActorError } from "../harness/pool/actor-process.js";
import { PROPERTIES, propertyById } from "../properties/catalogue.js";
import { renderTimeline } from "../properties/report/timeline.js";
import { closedLimitations } from "../properties/run/evaluate.js";
import { runProperty, type PropertyResult } from "../properties/run/run-property.js";
import { saveCounterexample } from "../properties/scenario/save.js";
import { LIMITATION_IDS } from "../src/types.js";
import { isReleaseSpec } from "../adapters/openclaw/release-spec.js";
import { probeStore } from "./probe-store.js";
import { renderTable } from "./table.js";
import { dailyBaseSeed, shardSeed, type Shard } from "./shard.js";
import { poolFor, UsageError, type StoreOptions } from "./store-option.js";

export type ExploreOptions = StoreOptions & { runs?: number; seed?: number; out: string; only?: string[]; json?: string; shard?: Shard };

const say = (line = "") => process.stdout.write(`${line}\n`);

/** Runs every property and limitation against a store; returns the exit code (0, 1 or 2). */
export async function explore(opts: ExploreOptions): Promise<number> {
  const properties = opts.only ? opts.only.map(propertyById) : PROPERTIES;
  const base = opts.seed ?? (opts.shard ? dailyBaseSeed() : Math.floor(Math.random() * 2 ** 31));
  const seed = opts.shard ? shardSeed(base, opts.shard) : base;
  const pool = await poolFor(opts);
  try {
    let capabilities;
    try {
      capabilities = await probeStore(pool);
    } catch (error) {
      if (error instanceof ActorError || error instanceof ContractError) throw new UsageError((error as Error).message);
      throw error;
    }
    const closed = closedLimitations(capabilities.knownLimitations, LIMITATION_IDS);
    // A release is named by its spec: the generated module in the cache is not what a user types.
    const store = opts.store && isReleaseSpec(opts.store) ? opts.store : pool.storeModule;
    say(`drift-harness explore: store ${store}`);
    say(`  node ${pool.nodePath}, seed ${seed}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count} of base seed ${base})` : ""}${opts.runs ? `, ${opts.runs} runs per property` : ""}`);
    say(`  known limitations: ${capabilities.knownLimitations === null ? "not declared (all three assumed)" : capabilities.knownLimitations.join(", ") || "none"}`);
    for (const { feature, reason } of capabilities.absent ?? []) say(`  absent: ${feature}: ${reason}`);
    if (capabilities.checkpoints === "fs") say("  note: the store has no _setSessionStoreWriterCheckpointForTest: paused writers are held at the file-system boundary");
    if (capabilities.checkpoints === "none") say("  note: the store's writers cannot be held: paused merges are left out of every schedule");
    const results: PropertyResult[] = [];
    for (const property of properties) {
      const progress = (done: number) => {
        if (process.stderr.isTTY) process.stderr.write(`\r  ${property.id}: ${done} run(s)…`);
      };
      const result = await runProperty(property, { pool, capabilities, closed, runs: opts.runs, seed, onRun: progress });
      if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
      results.push(result);
      say(`${result.ok ? "✓" : "✗"} ${property.id}: ${result.verdict} (${result.runs} runs, ${result.timeMs} ms)`);
      reportDetails(result, store, opts.out);
    }
    say();
    say(
      renderTable(
        ["property", "expected", "runs", "result", "time"],
        results.map((r) => [r.id, r.expectation === "hold" ? "holds" : "reproduces", String(r.runs), `${r.ok ? "ok" : "FAIL"}: ${r.verdict}`, `${(r.timeMs / 1000).toFixed(1)} s`]),
      ),
    );
    if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ store, seed, baseSeed: base, ...(opts.shard ? { shard: opts.shard } : {}), results: results.map(({ counterexample, ...rest }) => ({ ...rest, violations: counterexample?.violations })) }, null, 2)}\n`);
    const failed = results.filter((r) => !r.ok);
    say(failed.length === 0 ? "all properties hold and every known limitation reproduced" : `${failed.length} of ${results.length} did not come out as expected`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    await pool.close();
  }
}

function reportDetails(result: PropertyResult, storeModule: string, out: string): void {
  const replayHint = (file: string) => `  replay: npx drift-harness replay ${file}${storeModule ? ` --store ${storeModule}` : ""}`;
  if (result.verdict === "not-reproduced") {
    say(`  LIMITATION NO LONGER REPRODUCES: ${result.id} found no counterexample in ${result.runs} runs (seed ${result.seed}).`);
    say("  If the store really closed it, remove it from knownLimitations and update README.md and docs/contract.md.");
  }
  if (result.error) say(`  harness error: ${result.error} (seed ${result.seed}, path ${result.path})`);
  const found = result.counterexample;
  if (!found) return;
  const label = result.verdict === "reproduced" ? "reproduced" : "COUNTEREXAMPLE";
  say(`  ${label}: seed ${result.seed}, path ${result.path ?? "-"}, ${found.schedule.steps.length} step(s)`);
  for (const line of renderTimeline(found.history, found.violations).split("\n")) say(`    ${line}`);
  const file = saveCounterexample(result, storeModule, out);
  if (file) say(replayHint(file));
}
