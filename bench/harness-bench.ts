import { breakdown, deliveryBreakdown, freshRate, warmRate, type RunRate } from "./harness-runs.js";
import { ipcRoundTripUs, writeRenameStatUs } from "./floor.js";

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
};

export type HarnessBench = { floor: { ipcUs: number; writeUs: number; stepUs: number; stepsPerSecond: number }; rows: HarnessBenchRow[] };

/**
 * Measures, in one run, the floor (a bare IPC round trip plus a bare temp write + rename +
 * stat: what one step of any multi-process harness must cost) and the harness itself, warm pool
 * versus a fresh process per run, for schedules of several lengths across 3 processes.
 */
export async function harnessBench(opts: { quick?: boolean } = {}): Promise<HarnessBench> {
  const ipcUs = await ipcRoundTripUs(opts.quick ? 200 : 2000);
  const writeUs = writeRenameStatUs(opts.quick ? 200 : 2000);
  const stepUs = ipcUs + writeUs;
  const rows: HarnessBenchRow[] = [];
  for (const steps of [10, 50, 200]) {
    const warmRuns = Math.max(3, Math.round((opts.quick ? 400 : 4000) / steps));
    const freshRuns = Math.max(2, Math.round((opts.quick ? 40 : 200) / steps));
    const { rate: warm, histories, deliveries } = await warmRate(steps, warmRuns);
    const fresh = await freshRate(steps, freshRuns);
    rows.push({
      steps,
      warm,
      fresh,
      warmOverFloor: warm.stepsPerSecond / (1e6 / stepUs),
      warmOverFresh: warm.schedulesPerSecond / fresh.schedulesPerSecond,
      breakdown: breakdown(histories),
      delivery: deliveryBreakdown(deliveries),
    });
  }
  return { floor: { ipcUs, writeUs, stepUs, stepsPerSecond: 1e6 / stepUs }, rows };
}

export function renderHarnessBench(bench: HarnessBench): string {
  const f = (n: number, digits = 0) => n.toFixed(digits);
  const lines = [
    `floor: IPC round trip ${f(bench.floor.ipcUs)} µs + temp write/rename/stat ${f(bench.floor.writeUs)} µs = ${f(bench.floor.stepUs)} µs per step (${f(bench.floor.stepsPerSecond)} steps/s)`,
    "",
    "steps  warm sched/s  warm steps/s  µs/step  fresh sched/s  harness/floor  warm/fresh",
    ...bench.rows.map((row) =>
      [
        String(row.steps).padStart(5),
        f(row.warm.schedulesPerSecond, 1).padStart(12),
        f(row.warm.stepsPerSecond).padStart(12),
        f(row.warm.usPerStep).padStart(7),
        f(row.fresh.schedulesPerSecond, 2).padStart(13),
        f(row.warmOverFloor, 2).padStart(13),
        f(row.warmOverFresh, 1).padStart(10),
      ].join("  "),
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
