import { seconds, VERDICT_HEAD, verdictCells } from "./verdict-cells.js";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { renderTable } from "../properties/report/text-table.js";
import { describeIssues } from "../harness/json-path.js";
import { UsageError } from "./store-option.js";
import { SummaryResult, summaryOf } from "../api/summary-schema.js";

const Summary = summaryOf(SummaryResult.extend({ timeMs: z.number(), seed: z.number() })).extend({
  /** The seed every shard derived its own from (absent: a summary written before shards said it). */
  baseSeed: z.number().optional(),
  shard: z.object({ index: z.number(), count: z.number() }).optional(),
});
type Summary = z.infer<typeof Summary>;

const say = (line = "") => process.stdout.write(`${line}\n`);

/**
 * Combines the JSON summaries of `explore --shard i/n --json FILE` into one table and one
 * verdict: a property holds when it held on every shard; a limitation reproduces when any
 * shard reproduced it. Exit 0 when everything came out as expected, 1 when not, 2 on bad input.
 */
export function mergeSummaries(files: string[]): number {
  const summaries = files.map((file): Summary => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new UsageError(`${file}: not readable JSON: ${(error as Error).message}`);
    }
    const parsed = Summary.safeParse(raw);
    if (!parsed.success)
      throw new UsageError(`${file}: not an explore --json summary: ${describeIssues(parsed.error)}`);
    return parsed.data;
  });
  const stores = new Set(summaries.map((summary) => summary.store));
  if (stores.size > 1) throw new UsageError(`the summaries are of different stores: ${[...stores].join(", ")}`);
  // Shards of different base seeds are not parts of one exploration: their seeds may overlap.
  const bases = new Set(summaries.map((summary) => summary.baseSeed));
  if (bases.size > 1) {
    const each = summaries.map((summary, i) => `${files[i]}: ${summary.baseSeed ?? "none"}`).join(", ");
    throw new UsageError(
      `the summaries are shards of different explorations (baseSeed ${each}); merge shards of one --seed only`,
    );
  }
  const counts = new Set(summaries.map((summary) => summary.shard?.count ?? 1));
  const indices = summaries.map((summary) => summary.shard?.index ?? 1);
  const missing =
    counts.size === 1
      ? Array.from({ length: [...counts][0]! }, (_, i) => i + 1).filter((i) => !indices.includes(i))
      : [];
  if (counts.size > 1) say(`warning: shards of different counts: ${[...counts].join(", ")}`);
  if (missing.length > 0) say(`warning: shard(s) ${missing.join(", ")} missing`);

  const ids = [...new Set(summaries.flatMap((summary) => summary.results.map((result) => result.id)))];
  const rows = ids.map((id) => {
    const parts = summaries.flatMap((summary) => summary.results.filter((result) => result.id === id));
    const expectation = parts[0]!.expectation;
    // Not explorable on every shard: the store cannot be exercised there, whatever the seed.
    const unexplorable = parts.every((part) => part.verdict === "not-explorable");
    const ok =
      unexplorable ||
      (expectation === "hold" ? parts.every((part) => part.ok) : parts.some((part) => part.verdict === "reproduced"));
    const verdict = unexplorable
      ? "not-explorable"
      : expectation === "hold"
        ? ok
          ? "held"
          : "failed"
        : ok
          ? "reproduced"
          : "not-reproduced";
    const failedOn = parts
      .filter((part) => (expectation === "hold" ? !part.ok : false))
      .map((part) => `seed ${part.seed}`);
    return {
      id,
      expectation,
      ok,
      verdict,
      runs: parts.reduce((n, part) => n + part.runs, 0),
      ms: parts.reduce((n, part) => n + part.timeMs, 0),
      failedOn,
    };
  });
  say(`merged ${summaries.length} shard summar${summaries.length === 1 ? "y" : "ies"} of ${[...stores][0]}`);
  say(
    renderTable(
      [...VERDICT_HEAD, "time", "failing shards"],
      rows.map((row) => [...verdictCells(row), seconds(row.ms), row.failedOn.join(", ")]),
    ),
  );
  const failed = rows.filter((row) => !row.ok);
  say(
    failed.length === 0
      ? "all shards together: every property held and every known limitation reproduced"
      : `${failed.length} of ${rows.length} did not come out as expected`,
  );
  return failed.length === 0 && missing.length === 0 ? 0 : 1;
}
