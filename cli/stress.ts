import { mkdirSync, writeFileSync } from "node:fs";
import { runFreeRunning } from "../harness/schedule/free-running.js";
import { checkHistory } from "../properties/checks/check-history.js";
import { probeCapabilities as probeStore } from "../properties/run/stores.js";
import { poolFor, UsageError, type StoreOptions } from "./store-option.js";
import { ActorError } from "../harness/pool/actor-process.js";
import type { FreeRunningHistory } from "../harness/history/types.js";
import type { ActorPool } from "../harness/pool/pool.js";
import type { Violation } from "../properties/checks/violation.js";
import { convertFreeRunning } from "../properties/convert/convert.js";
import { renderTimeline } from "../properties/report/timeline.js";
import { closedLimitations } from "../properties/run/evaluate.js";
import { LIMITATION_IDS } from "../src/types.js";
import { join } from "node:path";

export type StressCliOptions = StoreOptions & {
  seconds: number;
  gateways: number;
  externals: number;
  seed?: number;
  history?: string;
  out: string;
  convert: number;
};

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
    say(
      `drift-harness stress: ${opts.seconds} s, ${opts.gateways} gateway(s), ${opts.externals} external(s), seed ${seed}, store ${opts.store ?? pool.storeModule}`,
    );
    let lastPrint = 0;
    const history = await runFreeRunning(pool, {
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
    const { violations, freeRunning: report } = checkHistory(history);
    say(
      `${report.ops} operations (${(report.ops / opts.seconds).toFixed(0)}/s), ${report.acknowledgedMerges} acknowledged merges, ${report.tripwires} tripwires, ${report.samples} looks at the file`,
    );
    const losses = Object.entries(report.explainedLosses).filter(([, n]) => n > 0);
    say(
      `lost merges the version oracle allows: ${losses.length === 0 ? "none" : losses.map(([why, n]) => `${n} ${why}`).join(", ")}`,
    );
    const lostExternal = Object.entries(report.lostExternalWrites).filter(([, n]) => n > 0);
    say(
      `external writes: ${report.externalWrites}, lost and allowed: ${lostExternal.length === 0 ? "none" : lostExternal.map(([why, n]) => `${n} ${why}`).join(", ")}`,
    );
    say(`leftovers: ${history.leftovers.length === 0 ? "none" : history.leftovers.join(", ")}`);
    for (const problem of violations) say(`✗ ${problem.message}`);
    say(violations.length === 0 ? "✓ the history checks out" : `✗ ${violations.length} problem(s)`);
    if (opts.convert > 0) await convertAndReport(history, violations, pool, opts);
    return violations.length === 0 ? 0 : 1;
  } finally {
    await pool.close();
  }
}

/**
 * Every violation (and, on a store that still has mid-flight-drift, each overwrite a gateway's
 * window explains) becomes a step-locked scenario where it reproduces: shrunk, saved under
 * `--out`, printed with its timeline and replay command, as explore prints a counterexample.
 */
async function convertAndReport(
  history: FreeRunningHistory,
  violations: Violation[],
  pool: ActorPool,
  opts: StressCliOptions,
): Promise<void> {
  const closed = closedLimitations(history.capabilities.knownLimitations, LIMITATION_IDS);
  const { conversions, candidates, distinct } = await convertFreeRunning(history, violations, {
    pool,
    closed,
    seed: history.run.seed,
    out: opts.out,
    max: opts.convert,
    storeModule: opts.store ?? pool.storeModule,
  });
  if (candidates === 0) return;
  say(
    `converting into scenarios: ${candidates} candidate(s), ${distinct} distinct, the first ${Math.min(distinct, opts.convert)} tried (--convert ${opts.convert})`,
  );
  let kept = opts.history;
  for (const conversion of conversions) {
    const { candidate } = conversion;
    if (conversion.kind === "reproduced") {
      const steps = conversion.counterexample.schedule.steps.length;
      say(`✓ ${candidate.kind} → ${conversion.property} fails on the re-created schedule, shrunk to ${steps} step(s)`);
      for (const line of renderTimeline(conversion.counterexample.history, conversion.counterexample.violations).split(
        "\n",
      ))
        say(`    ${line}`);
      // Named as the user gave it: a release's module in the cache is not a name anyone typed.
      say(`  replay: npx drift-harness replay ${conversion.file}${opts.store ? ` --store ${opts.store}` : ""}`);
    } else {
      if (!kept) {
        mkdirSync(opts.out, { recursive: true });
        kept = join(opts.out, `stress-seed${history.run.seed}-history.json`);
        writeFileSync(kept, `${JSON.stringify(history)}\n`);
      }
      say(`✗ ${candidate.kind}: did not reproduce step-locked (${conversion.reason}); the history is kept in ${kept}`);
      for (const attempt of conversion.tried) say(`    tried: ${attempt}`);
    }
  }
}
