import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../harness/paths.js";
import type { MatrixReport } from "../matrix/matrix-report.js";
import { renderMatrix } from "../matrix/render-table.js";
import { renderMatrixHtml } from "../matrix/render-html.js";
import { runMatrix } from "../matrix/run-matrix.js";
import { releaseSpec } from "../matrix/release-set.js";
import { shardReleases } from "../matrix/shard-releases.js";
import { loadScenarioFile } from "../api/load-scenario.js";
import { releasesFor } from "./release-set-option.js";
import type { Shard } from "./shard.js";

export type MatrixOptions = {
  store?: string;
  explore?: boolean;
  runs?: number;
  seed?: number;
  out: string;
  json?: string;
  html?: string;
  shard?: Shard;
  prereleases?: boolean;
};

const say = (line = "") => process.stdout.write(`${line}\n`);

const corpusFiles = (): string[] => {
  const dir = join(projectRoot, "scenarios", "reported");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join("scenarios", "reported", name));
};

/** Replays scenarios (and with --explore, every property) on each release; prints the table. Exit 0, or 2 on bad input. */
export async function matrix(files: string[], opts: MatrixOptions): Promise<number> {
  const chosen = files.length > 0 ? files : corpusFiles();
  const scenarios = chosen.map((file) => ({ file, scenario: loadScenarioFile(file) }));
  const releases = await releasesFor(opts.store, opts);
  const mine = shardReleases(releases, opts.shard);
  say(
    `matrix over ${releases.length} release(s)${opts.shard ? `, shard ${opts.shard.index}/${opts.shard.count} runs ${mine.length}` : ""}: ${mine.join(" ")}`,
  );
  say(
    `  ${scenarios.length} scenario(s)${opts.explore ? `, and every property explored${opts.runs ? ` (${opts.runs} runs each)` : ""}` : ""}`,
  );
  const started = Date.now();
  const { columns, cells } = await runMatrix(mine, scenarios, {
    explore: opts.explore ? { runs: opts.runs, seed: opts.seed, outDir: opts.out } : undefined,
    onRelease: (version, done, ms) => {
      const count = (result: string) => done.filter((c) => c.result === result).length;
      say(
        `  ${releaseSpec(version)}: ${count("held")} held, ${count("reproduced")} reproduced, ${count("failed")} failed, ${count("absent")} absent (${(ms / 1000).toFixed(1)} s)`,
      );
    },
  });
  const report: MatrixReport = {
    kind: "drift-harness-matrix",
    schemaVersion: 1,
    store: opts.store!,
    releases: opts.shard ? releases : mine,
    ...(opts.shard ? { shard: opts.shard } : {}),
    ran: mine,
    columns,
    cells,
  };
  say();
  say(renderMatrix({ ...report, releases: mine }));
  say();
  say(`${mine.length} release(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  if (opts.html) writeFileSync(opts.html, renderMatrixHtml({ ...report, releases: mine }));
  return 0;
}
