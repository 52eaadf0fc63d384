/** `node dist/bench/run-harness.js [--quick] [--json FILE]`: the harness benchmark alone. */
import { writeFileSync } from "node:fs";
import { harnessBench, renderHarnessBench } from "./harness-bench.js";

const args = process.argv.slice(2);
const json = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;
const bench = await harnessBench({ quick: args.includes("--quick") });
process.stdout.write(`${renderHarnessBench(bench)}\n`);
if (json) writeFileSync(json, `${JSON.stringify(bench, null, 2)}\n`);
