import { performance } from "node:perf_hooks";
import { median } from "./floor.js";
import { defaultStoreModule } from "../harness/paths.js";
import { deliveryTrace, type DeliverySample } from "../harness/pool/actor-process.js";
import { ActorPool } from "../harness/pool/pool.js";
import { runSchedule } from "../harness/schedule/runner.js";
import { isGatewayStep, ScheduleSchema, type Schedule, type Step } from "../harness/schedule/schema.js";
import type { StepLockedHistory } from "../harness/history/types.js";

/**
 * A benchmark schedule across 3 processes (2 gateways, 1 external): mostly merges, with an
 * external write every fifth step, so every step costs a real write.
 */
export function benchSchedule(steps: number): Schedule {
  const list: Step[] = Array.from({ length: steps }, (_, i): Step => {
    if (i % 5 === 4)
      return { actor: "x0", op: "write", changes: [{ kind: "set", key: `x${i % 3}`, set: { note: `v${i}` } }] };
    return { actor: `g${i % 2}`, op: "merge", key: `k${i % 7}`, set: { note: `v${i}` } };
  });
  return ScheduleSchema.parse({ options: { gateways: 2, externals: 1 }, steps: list });
}

export type RunRate = { schedulesPerSecond: number; stepsPerSecond: number; usPerStep: number };

function rate(steps: number, runs: number, ms: number): RunRate {
  return {
    schedulesPerSecond: (runs * 1000) / ms,
    stepsPerSecond: (runs * steps * 1000) / ms,
    usPerStep: (ms * 1000) / (runs * steps),
  };
}

/**
 * Warm pool: the same processes serve every run. Returns the rate, the histories and each
 * step's round trip (DeliverySample) for a breakdown.
 */
export async function warmRate(
  steps: number,
  runs: number,
): Promise<{ rate: RunRate; histories: StepLockedHistory[]; deliveries: DeliverySample[] }> {
  const pool = new ActorPool({ storeModule: defaultStoreModule });
  const schedule = benchSchedule(steps);
  const histories: StepLockedHistory[] = [];
  const deliveries: DeliverySample[] = [];
  try {
    await runSchedule(schedule, pool); // warm-up: start the processes
    deliveryTrace.samples = deliveries;
    const started = performance.now();
    for (let i = 0; i < runs; i++) histories.push(await runSchedule(schedule, pool));
    return { rate: rate(steps, runs, performance.now() - started), histories, deliveries };
  } finally {
    deliveryTrace.samples = null;
    await pool.close();
  }
}

/** A fresh set of processes for every run, killed afterwards. */
export async function freshRate(steps: number, runs: number): Promise<RunRate> {
  const schedule = benchSchedule(steps);
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const pool = new ActorPool({ storeModule: defaultStoreModule });
    try {
      await runSchedule(schedule, pool);
    } finally {
      await pool.close();
    }
  }
  return rate(steps, runs, performance.now() - started);
}

/**
 * Where a run's time goes: each operation's own time (parent send to reply) and the harness's
 * time between steps (snapshots, the file-clock advance), in µs per step.
 */
export function breakdown(histories: StepLockedHistory[]): Record<string, number> {
  const sums = new Map<string, { total: number; count: number }>();
  const add = (name: string, us: number) => {
    const entry = sums.get(name) ?? { total: 0, count: 0 };
    entry.total += us;
    entry.count += 1;
    sums.set(name, entry);
  };
  for (const history of histories) {
    history.steps.forEach((record, i) => {
      add(
        `${isGatewayStep(record.step) ? "gateway" : "external"} ${record.step.op}`,
        (record.endedAt - record.startedAt) * 1000,
      );
      const next = history.steps[i + 1];
      if (next) add("between steps (snapshot + clock advance)", (next.startedAt - record.endedAt) * 1000);
    });
  }
  return Object.fromEntries([...sums].map(([name, { total, count }]) => [name, total / count]));
}

/**
 * Where a step's round trip goes, median µs: the command's way to the actor (the channel and
 * the actor's wake-up), the actor's own work, and the answer's way back.
 */
export function deliveryBreakdown(samples: DeliverySample[]): Record<string, number> {
  const us = (pick: (s: DeliverySample) => number, of = samples) => median(of.map(pick)) * 1000;
  const parts: Record<string, number> = {
    "to the actor (IPC + wake-up)": us((s) => s.receivedAt - s.sentAt),
    "back to the parent (IPC + wake-up)": us((s) => s.answeredAt - s.repliedAt),
  };
  for (const kind of new Set(samples.map((s) => `${s.role} ${s.op}`))) {
    parts[`in the actor: ${kind}`] = us(
      (s) => s.repliedAt - s.receivedAt,
      samples.filter((s) => `${s.role} ${s.op}` === kind),
    );
  }
  return parts;
}
