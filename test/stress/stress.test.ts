import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultStoreModule, distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { checkStress } from "../../harness/stress/check-stress.js";
import type { StressHistory, StressOp } from "../../harness/stress/types.js";
import { runStress } from "../../harness/stress/run-stress.js";

const SEED = 5;

async function stressOn(storeModule: string, seconds: number, gateways = 2, externals = 1) {
  const pool = new ActorPool({ storeModule });
  try {
    const history = await runStress(pool, { seconds, gateways, externals, seed: SEED });
    const report = checkStress(history);
    return { history, report, pids: pool.pids() };
  } finally {
    await pool.close();
  }
}

/** For a run that must check out: the seed, and on a problem the history saved to read again. */
function explain(history: StressHistory, problems: string[]): string {
  if (problems.length === 0) return `seed ${SEED}`;
  const saved = join(tmpdir(), `stress-failure-${process.pid}-${Date.now()}.json`);
  writeFileSync(saved, `${JSON.stringify(history)}\n`);
  return `seed ${SEED}; history saved to ${saved}`;
}

/** Free-running concurrency: our store's history checks out; the checker catches broken ones. */
describe("stress", () => {
  it("our store: parseable throughout, well-formed payloads, every lost merge explained, no leftovers", { timeout: 60_000 }, async () => {
    const { history, report } = await stressOn(defaultStoreModule, 4);
    expect(report.problems, explain(history, report.problems)).toEqual([]);
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

describe("stress: the hardened store", () => {
  it("parseable throughout, well-formed payloads (its new reasons included), every loss explained, no leftovers", { timeout: 60_000 }, async () => {
    const { history, report } = await stressOn(join(distDir, "src", "hardened.js"), 4);
    expect(report.problems, explain(history, report.problems)).toEqual([]);
    expect(report.acknowledgedMerges).toBeGreaterThan(50);
    expect(report.externalWrites).toBeGreaterThan(10);
    // The fingerprint belongs to the store; no temp, no lock directory.
    expect(history.leftovers).toEqual(["sessions.json.fingerprint"]);
  });
});

describe("stress checker: lost external writes", () => {
  const write = (key: string, readAt: number, writtenAt: number): StressOp => ({
    actor: "x0",
    step: { actor: "x0", op: "write", changes: [{ kind: "set", key, set: { note: "n" } }] },
    startedAt: readAt,
    endedAt: writtenAt,
    outcomes: [{ status: "ok", value: { readAt, writtenAt } }],
    tripwires: [],
  });
  const merge = (key: string, calledAt: number, settledAt: number): StressOp => ({
    actor: "g0",
    step: { actor: "g0", op: "merge", key, set: { note: "n" } },
    startedAt: calledAt,
    endedAt: settledAt,
    outcomes: [{ status: "ok", value: { calledAt, settledAt } }],
    tripwires: [],
  });
  const historyOf = (ops: StressOp[], finalKeys: string[]): StressHistory => ({
    storePath: "/tmp/x/sessions.json",
    seconds: 1,
    gateways: 1,
    externals: 1,
    ops,
    samples: [],
    final: { state: "json", store: Object.fromEntries(finalKeys.map((key) => [key, { sessionId: key, updatedAt: 0 }])) },
    leftovers: [],
  });

  it("a write missing at the end, inside a gateway writer's window, is a mid-flight loss", () => {
    const report = checkStress(historyOf([merge("g0-1", 10, 20), write("x0-1", 12, 13)], ["g0-1"]));
    expect(report.externalWrites).toBe(1);
    expect(report.lostExternalWrites).toEqual({ "external-write-overlap": 0, "mid-flight-overlap": 1 });
    expect(report.problems).toEqual([]);
  });

  it("a write missing at the end with nothing overlapping it is a problem", () => {
    const report = checkStress(historyOf([merge("g0-1", 10, 11), write("x0-1", 12, 13)], ["g0-1"]));
    expect(report.problems).toEqual([expect.stringContaining("the write of x0-1 by x0")]);
  });

  it("a write that landed counts and explains nothing", () => {
    const report = checkStress(historyOf([merge("g0-1", 10, 20), write("x0-1", 12, 13)], ["g0-1", "x0-1"]));
    expect(report.externalWrites).toBe(1);
    expect(report.lostExternalWrites).toEqual({ "external-write-overlap": 0, "mid-flight-overlap": 0 });
  });
});
