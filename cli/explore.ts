import { writeFileSync } from "node:fs";
import { ContractError } from "../harness/actors/store-module.js";
import { ActorError } from "../harness/pool/actor-process.js";
import { PROPERTIES, propertyById } from "../properties/catalogue.js";
import { renderTimeline } from "../properties/report/timeline.js";
import { closedLimitations } from "../properties/run/evaluate.js";
import { exploreProperties, summaryOf, type ExploredProperty } from "../properties/run/explore-properties.js";
import { showSignature } from "../properties/run/findings.js";
import { LIMITATION_IDS } from "../src/types.js";
import { probeStore } from "./probe-store.js";
import { renderTable } from "./table.js";
import { dailyBaseSeed, shardSeed, type Shard } from "./shard.js";
import { poolFor, UsageError, type StoreOptions } from "./store-option.js";

export type ExploreOptions = StoreOptions & { runs?: number; seed?: number; out: string; only?: string[]; json?: string; shard?: Shard; findings?: number };

const say = (line = "") => process.stdout.write(`${line}\n`);

/** Runs every property and limitation against a store; returns the exit code (0, 1 or 2). */
export async function explore(opts: ExploreOptions): Promise<number> {
  const properties = opts.only ? opts.only.map(propertyById) : PROPERTIES;
  const base = opts.seed ?? (opts.shard ? dailyBaseSeed() : Math.floor(Math.random() * 2 ** 31));
  const seed = opts.shard ? shardSeed(base, opts.shard) : base;
  const pool = poolFor(opts);
  try {
    let capabilities;
    try {
      capabilities = await probeStore(pool);
    } catch (error) {
      if (error instanceof ActorError || error instanceof ContractError) throw new UsageError((error as Error).message);
      throw error;
    }
    const closed = closedLimitations(capabilities.knownLimitations, LIMITATION_IDS);
    say(`drift-harness explore: store ${pool.storeModule}`);
    say(`  node ${pool.nodePath}, seed ${seed}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count} of base seed ${base})` : ""}${opts.runs ? `, ${opts.runs} runs per property` : ""}`);
    say(`  known limitations: ${capabilities.knownLimitations === null ? "not declared (all three assumed)" : capabilities.knownLimitations.join(", ") || "none"}`);
    if (capabilities.checkpoints === "fs") say("  note: the store has no _setSessionStoreWriterCheckpointForTest: paused writers are held at the file-system boundary");
    if (capabilities.checkpoints === "none") say("  note: the store's writers cannot be held: paused merges are left out of every schedule");
    const { results } = await exploreProperties({
      pool,
      capabilities,
      closed,
      properties,
      seed,
      runs: opts.runs,
      findings: opts.findings,
      out: opts.out,
      onRun: (property, done) => {
        if (process.stderr.isTTY) process.stderr.write(`\r  ${property.id}: ${done} run(s)…`);
      },
      onResult: (result) => {
        if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
        const counted = result.findings.length > 1 ? `, ${result.findings.length} findings` : "";
        say(`${result.ok ? "✓" : "✗"} ${result.id}: ${result.verdict} (${result.runs} runs, ${result.timeMs} ms${counted})`);
        reportDetails(result, pool.storeModule);
      },
    });
    say();
    say(
      renderTable(
        ["property", "expected", "runs", "result", "findings", "time"],
        results.map((r) => [r.id, r.expectation === "hold" ? "holds" : "reproduces", String(r.runs), `${r.ok ? "ok" : "FAIL"}: ${r.verdict}`, String(r.findings.length), `${(r.timeMs / 1000).toFixed(1)} s`]),
      ),
    );
    if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ store: pool.storeModule, seed, baseSeed: base, ...(opts.shard ? { shard: opts.shard } : {}), results: results.map(summaryOf) }, null, 2)}\n`);
    const failed = results.filter((r) => !r.ok);
    const unexplorable = results.filter((r) => r.verdict === "not-explorable").map((r) => r.id);
    if (unexplorable.length > 0) say(`not explorable on this store: ${unexplorable.join(", ")}`);
    say(failed.length === 0 ? `all properties hold and every known limitation reproduced${unexplorable.length > 0 ? " (of those that could be explored)" : ""}` : `${failed.length} of ${results.length} did not come out as expected`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    await pool.close();
  }
}

function reportDetails(result: ExploredProperty, storeModule: string): void {
  const files = result.files;
  const replayHint = (file: string) => `  replay: npx drift-harness replay ${file}${storeModule ? ` --store ${storeModule}` : ""}`;
  if (result.verdict === "not-explorable") say(`  not explorable here, because ${result.notExplorable}`);
  if (result.verdict === "not-reproduced") {
    say(`  LIMITATION NO LONGER REPRODUCES: ${result.id} found no counterexample in ${result.runs} runs (seed ${result.seed}).`);
    say("  If the store really closed it, remove it from knownLimitations and update README.md and docs/contract.md.");
  }
  if (result.error) say(`  harness error: ${result.error} (seed ${result.seed}, path ${result.path})`);
  result.findings.forEach((finding, i) => {
    const found = finding.counterexample;
    const label = result.verdict === "reproduced" ? "reproduced" : "COUNTEREXAMPLE";
    const which = result.findings.length > 1 ? ` ${i + 1} of ${result.findings.length}` : "";
    say(`  ${label}${which}: seed ${result.seed}, path ${finding.path ?? "-"}, ${found.schedule.steps.length} step(s), finding ${showSignature(finding.signature)}`);
    for (const line of renderTimeline(found.history, found.violations).split("\n")) say(`    ${line}`);
    if (files[i]) say(replayHint(files[i]!));
  });
}
