import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultStoreModule, distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { checkStress } from "../../harness/stress/check-stress.js";
import { runStress } from "../../harness/stress/run-stress.js";

async function stressOn(storeModule: string, seconds: number, gateways = 2, externals = 1) {
  const pool = new ActorPool({ storeModule });
  try {
    const history = await runStress(pool, { seconds, gateways, externals, seed: 5 });
    return { history, report: checkStress(history), pids: pool.pids() };
  } finally {
    await pool.close();
  }
}

/** Free-running concurrency: our store's history checks out; the checker catches broken ones. */
describe("stress", () => {
  it("our store: parseable throughout, well-formed payloads, every lost merge explained, no leftovers", { timeout: 60_000 }, async () => {
    const { history, report } = await stressOn(defaultStoreModule, 4);
    expect(report.problems).toEqual([]);
    expect(report.acknowledgedMerges).toBeGreaterThan(100);
    expect(report.tripwires).toBeGreaterThan(0);
    expect(history.leftovers).toEqual([]);
  });

  // Alone, so that no other process's overlapping write can (rightly) explain a loss.
  it("catches unqueued in-process writers: merges lost with nothing to explain them", { timeout: 60_000 }, async () => {
    const { report } = await stressOn(join(distDir, "variants", "by-name", "no-queue.js"), 3, 1, 0);
    expect(report.problems.some((problem) => problem.includes("is lost and nothing explains it")), report.problems.join("\n")).toBe(true);
  });

  it("catches a non-atomic writer: the monitor sees an unparseable file", { timeout: 60_000 }, async () => {
    const { report } = await stressOn(join(distDir, "variants", "by-name", "in-place-write.js"), 3);
    expect(report.problems.some((problem) => problem.includes("unparseable")), report.problems.join("\n")).toBe(true);
  });
});
