import { breakdown, deliveryBreakdown, freshRate, warmRate, type RunRate } from "./harness-runs.js";
import { ipcRoundTrip, writeRenameStat, type FloorPart } from "./floor.js";

export type HarnessBenchRow = {
  steps: number;
  warm: RunRate;
  fresh: RunRate;
  /** Harness steps/s over floor steps/s: 1 would be a harness that adds nothing. */
  warmOverFloor: number;
  /** Warm-pool schedules/s over fresh-process schedules/s. */
  warmOverFresh: number;
  breakdown: Record<string, number>;
  /** Median µs of each part of a step's round trip (see deliveryBreakdown). */
  delivery: Record<string, number>;
  /** Mean µs per step spent inside the actors (the store's and the fault's own work). */
  actorWorkUs: number;
  /**
   * The most harness/floor could be if delivering a step and snapshotting the file cost nothing:
   * floor step µs over the actors' own mean work per step.
   */
  workOnlyOverFloor: number;
  /**
   * What a step must cost in any harness of real processes (the actors' own work plus one bare
   * IPC round trip, both measured in this run) over what the harness's step costs: 1 would be
   * a harness that adds nothing to delivering the step and doing its work.
   */
  harnessToBound: number;
  /**
   * Not the target's bound, a diagnosis of it: the IPC round trip measured around this row's
   * actor work (`ipcRoundTrip(n, actorWorkUs)`, beyond the work), and the ratio with it in place
   * of the bare trip. The gap between the two ratios is what waking a waiting process costs.
   */
  ipcAroundWorkUs: number;
  harnessToBoundAroundWork: number;
};

/** The floor's parts (see FloorPart); `stepUs` and `stepsPerSecond` come from their rates. */
export type HarnessBench = {
  floor: { ipc: FloorPart; write: FloorPart; stepUs: number; stepsPerSecond: number };
  rows: HarnessBenchRow[];
};

/**
 * Measures, in one run, the floor (a bare IPC round trip plus a bare temp write + rename +
 * stat: what one step of any multi-process harness must cost) and the harness itself, warm pool
 * versus a fresh process per run, for schedules of several lengths across 3 processes.
 */
export async function harnessBench(opts: { quick?: boolean } = {}): Promise<HarnessBench> {
  // Both sides are rates (elapsed time over work done): a median floor against a mean harness
  // would charge the harness with every slow step the machine makes and the floor with none.
  const ipc = await ipcRoundTrip(opts.quick ? 200 : 2000);
  const write = await writeRenameStat(opts.quick ? 200 : 2000);
  const stepUs = ipc.rateUs + write.rateUs;
  const rows: HarnessBenchRow[] = [];
  for (const steps of [10, 50, 200]) {
    const warmRuns = Math.max(3, Math.round((opts.quick ? 400 : 4000) / steps));
    const freshRuns = Math.max(2, Math.round((opts.quick ? 40 : 200) / steps));
    const { rate: warm, histories, deliveries } = await warmRate(steps, warmRuns);
    const fresh = await freshRate(steps, freshRuns);
    const actorWorkUs =
      (deliveries.reduce((sum, s) => sum + (s.repliedAt - s.receivedAt), 0) / Math.max(1, deliveries.length)) * 1000;
    const aroundWork = await ipcRoundTrip(opts.quick ? 100 : 1000, actorWorkUs);
    rows.push({
      steps,
      warm,
      fresh,
      warmOverFloor: warm.stepsPerSecond / (1e6 / stepUs),
      warmOverFresh: warm.schedulesPerSecond / fresh.schedulesPerSecond,
      breakdown: breakdown(histories),
      delivery: deliveryBreakdown(deliveries),
      actorWorkUs,
      workOnlyOverFloor: stepUs / actorWorkUs,
      harnessToBound: (actorWorkUs + ipc.rateUs) / warm.usPerStep,
      ipcAroundWorkUs: aroundWork.rateUs,
      harnessToBoundAroundWork: (actorWorkUs + aroundWork.rateUs) / warm.usPerStep,
    });
  }
  return { floor: { ipc, write, stepUs, stepsPerSecond: 1e6 / stepUs }, rows };
}

export function renderHarnessBench(bench: HarnessBench): string {
  const f = (n: number, digits = 0) => n.toFixed(digits);
  const lines = [
    `floor: IPC round trip ${f(bench.floor.ipc.rateUs)} µs + temp write/rename/stat ${f(bench.floor.write.rateUs)} µs = ${f(bench.floor.stepUs)} µs per step (${f(bench.floor.stepsPerSecond)} steps/s)`,
    `       (elapsed time over operations, like the harness's rate; single-operation medians ${f(bench.floor.ipc.medianUs)} µs and ${f(bench.floor.write.medianUs)} µs)`,
    "",
    "steps  warm sched/s  warm steps/s  µs/step  fresh sched/s  harness/floor  warm/fresh  actor µs/step  bound/floor  harnessToBound",
    ...bench.rows.map((row) =>
      [
        String(row.steps).padStart(5),
        f(row.warm.schedulesPerSecond, 1).padStart(12),
        f(row.warm.stepsPerSecond).padStart(12),
        f(row.warm.usPerStep).padStart(7),
        f(row.fresh.schedulesPerSecond, 2).padStart(13),
        f(row.warmOverFloor, 2).padStart(13),
        f(row.warmOverFresh, 1).padStart(10),
        f(row.actorWorkUs).padStart(13),
        f(row.workOnlyOverFloor, 2).padStart(11),
        f(row.harnessToBound, 2).padStart(14),
      ].join("  "),
    ),
    "",
    "actor µs/step: mean time a step spends inside its actor (the store's or the external's own work).",
    "bound/floor: the harness/floor a harness would reach if delivery and snapshots cost nothing (floor step / actor µs).",
    "harnessToBound: (actor µs/step + the floor's IPC round trip) / the harness's µs/step; the target is 0.9 at 50 steps.",
    ...bench.rows.map(
      (row) =>
        `  ${String(row.steps).padStart(3)} steps: an IPC round trip around ${f(row.actorWorkUs)} µs of work (the actors' mean) costs ${f(row.ipcAroundWorkUs)} µs beyond it, against ${f(bench.floor.ipc.rateUs)} µs bare; with it, the ratio would be ${f(row.harnessToBoundAroundWork, 2)}`,
    ),
    "",
    "where a warm step's time goes (mean µs per step, 50-step schedules; a step ends after the parent's snapshot):",
    ...Object.entries(bench.rows.find((row) => row.steps === 50)?.breakdown ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => `  ${f(us).padStart(6)}  ${name}`),
    "and its round trip (median µs, 50-step schedules, one clock across processes):",
    ...Object.entries(bench.rows.find((row) => row.steps === 50)?.delivery ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => `  ${f(us).padStart(6)}  ${name}`),
  ];
  return lines.join("\n");
}
