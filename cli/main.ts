#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { explore } from "./explore.js";
import { replay } from "./replay.js";
import { stress } from "./stress.js";
import { mergeSummaries } from "./merge-summaries.js";
import { parseShard } from "./shard.js";
import { report } from "./report.js";
import { UnknownPropertyError } from "../properties/catalogue.js";
import { bisect } from "./bisect.js";
import { matrix } from "./matrix.js";
import { areMatrixFiles, mergeMatrixFiles } from "./merge-matrix-files.js";
import { anyInt, positiveInt, UsageError } from "./store-option.js";
import { exitCleanlyOnSignals } from "./on-signal.js";

const STORE_HELP =
  "store module meeting the contract, or <package>@<version> for openclaw, configstore, conf or lowdb (a release, fetched and adapted; default: the built-in store)";

/** drift-harness: exit 0 when everything came out as expected, 1 when not, 2 on bad usage. */
const program = new Command("drift-harness")
  .description("property-based multi-process harness for a file-backed session store")
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command("explore")
  .description("run every property and known limitation against a store module")
  .option("--store <module|package@version>", STORE_HELP)
  .option("--runs <n>", "schedules per property (default: each property's own)", positiveInt("--runs"))
  .option("--seed <s>", "fast-check seed (default: random, printed)", anyInt("--seed"))
  .option("--out <dir>", "where counterexample scenario files are written", "counterexamples")
  .option("--only <ids>", "comma-separated property ids", (value: string) => value.split(",").filter(Boolean))
  .option("--node <path>", "Node binary for the child processes (default: this one)")
  .option("--json <file>", "also write the summary as JSON")
  .option(
    "--shard <i/n>",
    "explore shard i of n: a disjoint part of the seed space (base seed: --seed, or today's date)",
    parseShard,
  )
  .option(
    "--jobs <n>",
    "properties run at once, each on its own processes (default: the number of cores); results do not depend on it",
    positiveInt("--jobs"),
  )
  .option("--findings <n>", "distinct findings to report per property (default: 5)", positiveInt("--findings"))
  .action(async (opts) => {
    process.exitCode = await explore(opts);
  });

program
  .command("merge")
  .description(
    "combine explore --shard --json summaries (or matrix --shard --json files) into one table and one verdict",
  )
  .argument("<files...>", "JSON files written by explore --json or matrix --json")
  .option("--json <file>", "with matrix files: write the joined matrix as JSON")
  .action((files: string[], opts: { json?: string }) => {
    process.exitCode = areMatrixFiles(files) ? mergeMatrixFiles(files, opts) : mergeSummaries(files);
  });

program
  .command("replay")
  .description("replay scenario files against a store module; print the timeline and the verdicts")
  .argument("<files...>", "scenario files (JSON, see scenarios/schema.json)")
  .option("--store <module|package@version>", STORE_HELP)
  .option("--node <path>", "Node binary for the child processes (default: this one)")
  .action(async (files: string[], opts) => {
    process.exitCode = await replay(files, opts);
  });

program
  .command("report")
  .description("render a history or a replayed scenario as a self-contained HTML page")
  .argument("<inputs...>", "a history JSON file (or { history, violations, failedProperty }) or a scenario file")
  .option("--html <file>", "where to write the HTML page")
  .option(
    "--store <module|package@version>",
    "store module or <package>@<version> a scenario is replayed against (default: the built-in store)",
  )
  .action(async (inputs: string[], opts) => {
    if (!opts.html) throw new UsageError("report needs --html <file> (shard summaries are joined by merge)");
    if (inputs.length !== 1) throw new UsageError(`report --html renders one input, got ${inputs.length}`);
    process.exitCode = await report(inputs[0]!, opts);
  });

program
  .command("matrix")
  .description("replay scenarios (default: scenarios/reported/) on each release of a range; print release × scenario")
  .argument("[files...]", "scenario files (default: every file in scenarios/reported/)")
  .requiredOption(
    "--store <package@A..B>",
    "the releases: a range (openclaw@2026.2.1..2026.5.6, conf@8.0.0..10.0.0), or a comma list (conf@16.0.0,lowdb@7.0.1)",
  )
  .option("--explore", "also explore every property on each release")
  .option("--runs <n>", "with --explore: schedules per property", positiveInt("--runs"))
  .option("--seed <s>", "with --explore: fast-check seed", anyInt("--seed"))
  .option(
    "--out <dir>",
    "with --explore: where counterexamples are written, one folder per release",
    "counterexamples/matrix",
  )
  .option("--json <file>", "write the matrix as JSON (merge joins shards)")
  .option("--html <file>", "write the matrix as a self-contained HTML page")
  .option("--shard <i/n>", "run every n-th release from the i-th", parseShard)
  .option("--prereleases", "include prereleases in a range")
  .action(async (files: string[], opts) => {
    process.exitCode = await matrix(files, opts);
  });

program
  .command("bisect")
  .description("the first release where a scenario's verdict differs from the first release's")
  .argument("<scenario>", "a scenario file (JSON, see scenarios/schema.json)")
  .requiredOption(
    "--store <package@A..B>",
    "the releases: a range (openclaw@2026.2.1..2026.5.6, conf@8.0.0..10.0.0), or a comma list (conf@16.0.0,lowdb@7.0.1)",
  )
  .option("--prereleases", "include prereleases in a range")
  .action(async (file: string, opts) => {
    process.exitCode = await bisect(file, opts);
  });

program
  .command("stress")
  .description("free-running real concurrency for a bounded time, then check the history")
  .option("--seconds <n>", "how long to run", positiveInt("--seconds"), 10)
  .option("--gateways <n>", "gateway processes", positiveInt("--gateways"), 3)
  .option("--externals <n>", "external processes", anyInt("--externals"), 2)
  .option("--seed <s>", "seed for the actors' choices", anyInt("--seed"))
  .option("--store <module|package@version>", STORE_HELP)
  .option("--node <path>", "Node binary for the child processes (default: this one)")
  .option("--history <file>", "write the raw stress history as JSON")
  .option("--out <dir>", "where the scenarios converted from what stress found are written", "counterexamples")
  .option(
    "--convert <n>",
    "convert at most the first n distinct findings into replayable scenarios (0: none)",
    anyInt("--convert"),
    3,
  )
  .action(async (opts) => {
    process.exitCode = await stress(opts);
  });

exitCleanlyOnSignals();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else if (error instanceof UsageError || error instanceof UnknownPropertyError) {
    process.stderr.write(`drift-harness: ${error.message}\n`);
    process.exitCode = 2;
  } else throw error;
}
