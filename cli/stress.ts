import { writeFileSync } from "node:fs";
import { checkStress } from "../harness/stress/check-stress.js";
import { runStress } from "../harness/stress/run-stress.js";
import { probeStore } from "./probe-store.js";
import { poolFor, UsageError, type StoreOptions } from "./store-option.js";
import { ActorError } from "../harness/pool/actor-process.js";

export type StressCliOptions = StoreOptions & { seconds: number; gateways: number; externals: number; seed?: number; history?: string };

const say = (line = "") => process.stdout.write(`${line}\n`);

/** Free-running concurrency for a bounded time, then the checker; exit 0 when it all holds. */
export async function stress(opts: StressCliOptions): Promise<number> {
  if (opts.gateways > 10 || opts.externals > 10) throw new UsageError("at most 10 gateways and 10 externals");
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const pool = await poolFor(opts);
  try {
    await probeStore(pool).catch((error: unknown) => {
      throw error instanceof ActorError ? new UsageError((error as Error).message) : error;
    });
    say(`drift-harness stress: ${opts.seconds} s, ${opts.gateways} gateway(s), ${opts.externals} external(s), seed ${seed}, store ${pool.storeModule}`);
    let lastPrint = 0;
    const history = await runStress(pool, {
      seconds: opts.seconds,
      gateways: opts.gateways,
      externals: opts.externals,
      seed,
      onProgress: (ops, elapsed) => {
        if (elapsed - lastPrint < 1000) return;
        lastPrint = elapsed;
        const line = `  ${(elapsed / 1000).toFixed(0)} s: ${ops} operations`;
        if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
        else if (Math.round(elapsed / 1000) % 10 === 0) process.stderr.write(`${line}\n`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    if (opts.history) writeFileSync(opts.history, `${JSON.stringify(history)}\n`);
    const report = checkStress(history);
    say(`${report.ops} operations (${(report.ops / opts.seconds).toFixed(0)}/s), ${report.acknowledgedMerges} acknowledged merges, ${report.tripwires} tripwires, ${report.samples} looks at the file`);
    const losses = Object.entries(report.explainedLosses).filter(([, n]) => n > 0);
    say(`explained losses: ${losses.length === 0 ? "none" : losses.map(([why, n]) => `${n} ${why}`).join(", ")}`);
    const lostExternal = Object.entries(report.lostExternalWrites).filter(([, n]) => n > 0);
    say(`external writes: ${report.externalWrites}, lost: ${lostExternal.length === 0 ? "none" : lostExternal.map(([why, n]) => `${n} ${why}`).join(", ")}`);
    say(`leftovers: ${history.leftovers.length === 0 ? "none" : history.leftovers.join(", ")}`);
    for (const problem of report.problems) say(`✗ ${problem}`);
    say(report.problems.length === 0 ? "✓ the history checks out" : `✗ ${report.problems.length} problem(s)`);
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    await pool.close();
  }
}
