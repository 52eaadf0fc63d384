import { conflictTotals, explore as exploreStore, type ExploreEvent, type ExploreResult } from "../api/explore.js";
import { explain, type ExploredProperty } from "../api/explain.js";
import { renderTable } from "../properties/report/text-table.js";
import type { Shard } from "./shard.js";
import { seconds, VERDICT_HEAD, verdictCells } from "./verdict-cells.js";
import type { StoreOptions } from "./store-option.js";

export type ExploreOptions = StoreOptions & {
  runs?: number;
  seed?: number;
  out: string;
  only?: string[];
  json?: string;
  shard?: Shard;
  jobs?: number;
  findings?: number;
};

const say = (line = "") => {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  process.stdout.write(`${line}\n`);
};

/** Runs every property and limitation against a store, printing as it goes; returns the exit code (0 or 1; bad usage throws). */
export async function explore(opts: ExploreOptions): Promise<number> {
  let store = "";
  const onEvent = (event: ExploreEvent) => {
    if (event.type === "start") {
      store = event.store;
      for (const line of startLines(event)) say(line);
    } else if (event.type === "run") {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${event.property}: ${event.done} run(s)…`);
    } else {
      for (const line of propertyLines(event.result, store)) say(line);
    }
  };
  const result = await exploreStore({ ...opts, onEvent });
  for (const line of endLines(result)) say(line);
  return result.exitCode;
}

function startLines(start: Extract<ExploreEvent, { type: "start" }>): string[] {
  const { capabilities, shard } = start;
  const sharded = shard ? ` (shard ${shard.index}/${shard.count} of base seed ${start.baseSeed})` : "";
  const limitations =
    capabilities.knownLimitations === null
      ? "not declared (all three assumed)"
      : capabilities.knownLimitations.join(", ") || "none";
  return [
    `drift-harness explore: store ${start.store}`,
    `  node ${start.node}, seed ${start.seed}${sharded}${start.runs ? `, ${start.runs} runs per property` : ""}`,
    `  known limitations: ${limitations}`,
    ...(capabilities.absent ?? []).map(({ feature, reason }) => `  absent: ${feature}: ${reason}`),
    ...(capabilities.checkpoints === "fs"
      ? [
          "  note: the store has no _setSessionStoreWriterCheckpointForTest: paused writers are held at the file-system boundary",
        ]
      : []),
    ...(capabilities.checkpoints === "none"
      ? ["  note: the store's writers cannot be held: paused merges are left out of every schedule"]
      : []),
    ...(capabilities.serialization === "lock-file"
      ? [
          "  note: writers hold a lock file from load to rename: a writer aimed at another gateway while one is held runs after the holder's resume, and one that finds the lock a killed writer left ends its step blocked",
        ]
      : []),
  ];
}

function propertyLines(result: ExploredProperty, store: string): string[] {
  const counted = result.findings.length > 1 ? `, ${result.findings.length} findings` : "";
  const mark = result.ok ? "✓" : "✗";
  return [
    `${mark} ${result.id}: ${result.verdict} (${result.runs} runs, ${result.timeMs} ms${counted})`,
    ...explain(result, store),
  ];
}

function endLines(result: ExploreResult): string[] {
  const { results } = result;
  const failed = results.filter((r) => !r.ok).length;
  const unexplorable = results.filter((r) => r.verdict === "not-explorable").map((r) => r.id);
  const conflicts = conflictTotals(results);
  return [
    "",
    renderTable(
      [...VERDICT_HEAD, "findings", "time"],
      results.map((r) => [...verdictCells(r), String(r.findings.length), seconds(r.timeMs)]),
    ),
    ...(unexplorable.length > 0 ? [`not explorable on this store: ${unexplorable.join(", ")}`] : []),
    ...(conflicts
      ? [
          `conflicts: ${conflicts.conflicts} of ${conflicts.writes} writes failed with the store's conflict error; starvation: the longest run of one writer's losses is ${conflicts.longestStreak}`,
        ]
      : []),
    failed === 0
      ? `all properties hold and every known limitation reproduced${unexplorable.length > 0 ? " (of those that could be explored)" : ""}`
      : `${failed} of ${results.length} did not come out as expected`,
  ];
}
