/**
 * `npm run bench` (`node dist/bench/main.js [--quick] [--json FILE]`): every benchmark of the
 * project, one section each, printed as tables; `--json` also writes all results to FILE.
 */
import { writeFileSync } from "node:fs";
import { exploreBench, renderExploreBench } from "./explore-bench.js";
import { harnessBench, renderHarnessBench } from "./harness-bench.js";
import { renderStoreWriteBench, storeWriteBench } from "./store-write.js";

type Section = { name: string; run: (opts: { quick: boolean }) => Promise<{ result: unknown; table: string }> };

const SECTIONS: Section[] = [
  {
    name: "harness",
    run: async (opts) => {
      const bench = await harnessBench(opts);
      return { result: bench, table: renderHarnessBench(bench) };
    },
  },
  {
    name: "explore",
    run: async (opts) => {
      const bench = await exploreBench(opts);
      return { result: bench, table: renderExploreBench(bench) };
    },
  },
  {
    name: "storeWrite",
    run: async (opts) => {
      const rows = await storeWriteBench(opts);
      return { result: rows, table: renderStoreWriteBench(rows) };
    },
  },
];

const args = process.argv.slice(2);
const jsonAt = args.indexOf("--json");
const json = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !json) {
  process.stderr.write("usage: main.js [--quick] [--json FILE]\n");
  process.exit(2);
}
const quick = args.includes("--quick");
const results: Record<string, unknown> = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  date: new Date().toISOString(),
  quick,
};
for (const section of SECTIONS) {
  const { result, table } = await section.run({ quick });
  results[section.name] = result;
  process.stdout.write(`${table}\n\n`);
}
if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
