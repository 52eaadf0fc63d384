import fc from "fast-check";
import { performance } from "node:perf_hooks";
import type { StepLockedHistory } from "../../harness/history/types.js";
import type { ActorPool } from "../../harness/pool/pool.js";
import type { Schedule } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import { scheduleArbitrary, type StoreCapabilities } from "../arbitraries/schedule.js";
import type { Violation } from "../checks/violation.js";
import type { PropertyDefinition } from "../definition.js";
import { evaluate, type EvaluateRunOptions } from "./evaluate.js";
import { minimize } from "./minimize.js";

export type Expectation = "hold" | "reproduce";

/**
 * `held`/`failed` for an ordinary property; for a limitation the store still has, `reproduced`
 * (a counterexample was found, as it must be) or `not-reproduced` (the docs are now wrong).
 */
export type Verdict = "held" | "failed" | "reproduced" | "not-reproduced";

export type Counterexample = { schedule: Schedule; history: StepLockedHistory; violations: Violation[] };

export type PropertyResult = {
  id: string;
  title: string;
  expectation: Expectation;
  verdict: Verdict;
  ok: boolean;
  runs: number;
  timeMs: number;
  seed: number;
  path?: string;
  counterexample?: Counterexample;
  /** An error that was not a property violation (the harness itself failed). */
  error?: string;
};

export type RunPropertyOptions = {
  pool: ActorPool;
  capabilities: StoreCapabilities;
  closed: ReadonlySet<LimitationId>;
  runs?: number;
  seed: number;
  path?: string;
  onRun?: (done: number) => void;
  /** Passed to every run, shrinking included: e.g. `{ tmpRoot: fatMount, fileClock: "as-is" }`. */
  runOptions?: EvaluateRunOptions;
};

class PropertyViolation extends Error {
  constructor(readonly evaluation: Counterexample) {
    super(evaluation.violations.map((v) => `step ${v.step} ${v.actor}: ${v.message}`).join("\n"));
  }
}

/** Explores one property with fast-check over real process runs, shrinking any failure. */
export async function runProperty(property: PropertyDefinition, opts: RunPropertyOptions): Promise<PropertyResult> {
  const expectation: Expectation = property.limitation && !opts.closed.has(property.limitation) ? "reproduce" : "hold";
  const started = performance.now();
  let runs = 0;
  const predicate = fc.asyncProperty(scheduleArbitrary(property.profile, opts.capabilities), async (schedule) => {
    const { history, violations } = await evaluate(property, schedule, opts.pool, opts.closed, opts.runOptions);
    opts.onRun?.(++runs);
    if (violations.length > 0) throw new PropertyViolation({ schedule, history, violations });
  });
  const details = await fc.check(predicate, {
    // A limitation's own budget is a floor: it stops at its first counterexample anyway.
    numRuns: expectation === "reproduce" ? Math.max(opts.runs ?? 0, property.defaultRuns) : (opts.runs ?? property.defaultRuns),
    seed: opts.seed,
    ...(opts.path ? { path: opts.path } : {}),
  });
  const base = { id: property.id, title: property.title, expectation, runs: details.numRuns, seed: details.seed, timeMs: Math.round(performance.now() - started) };
  if (!details.failed) {
    const verdict: Verdict = expectation === "hold" ? "held" : "not-reproduced";
    return { ...base, verdict, ok: verdict === "held" };
  }
  const thrown = details.errorInstance;
  const verdict: Verdict = expectation === "hold" ? "failed" : "reproduced";
  const result = { ...base, verdict, ok: verdict === "reproduced", path: details.counterexamplePath ?? undefined };
  if (thrown instanceof PropertyViolation) {
    const stillFails = async (schedule: Schedule) => {
      const evaluation = await evaluate(property, schedule, opts.pool, opts.closed, opts.runOptions);
      return evaluation.violations.length > 0 ? { schedule, ...evaluation } : undefined;
    };
    return { ...result, counterexample: await minimize(thrown.evaluation, stillFails) };
  }
  // Not a violation: the harness or the store crashed. Never counts as a reproduction.
  return { ...result, verdict: "failed", ok: false, error: thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown) };
}
