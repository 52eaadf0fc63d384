import fc from "fast-check";
import { performance } from "node:perf_hooks";
import type { ActorPool } from "../../harness/pool/pool.js";
import type { Capabilities } from "../../harness/protocol.js";
import type { Schedule } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import { scheduleArbitrary, SQLITE_NO_EXTERNALS } from "../arbitraries/schedule.js";
import type { PropertyDefinition } from "../definition.js";
import { addConflicts, noConflicts, type ConflictFigure } from "./conflict-streaks.js";
import { evaluate, type EvaluateRunOptions } from "./evaluate.js";
import { defectText, freshDefect, signatureOf, type FindingSignature } from "./findings.js";
import type { Counterexample } from "./counterexample.js";
import { minimize } from "./minimize.js";

export type Expectation = "hold" | "reproduce";

/**
 * `held`/`failed` for an ordinary property; for a limitation the store still has, `reproduced`
 * (a counterexample was found, as it must be) or `not-reproduced` (the docs are now wrong);
 * `not-explorable` when the store's capabilities do not let the harness exercise it at all
 * (then `notExplorable` says why, and nothing was run).
 */
export type Verdict = "held" | "failed" | "reproduced" | "not-reproduced" | "not-explorable";

export type { Counterexample } from "./counterexample.js";

/** One distinct way the property failed, shrunk on its own; `path` replays its first failing run. */
export type Finding = { signature: FindingSignature; path?: string; counterexample: Counterexample };

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
  /** The first finding's counterexample (the one every caller that wants one failure uses). */
  counterexample?: Counterexample;
  /** Every distinct finding, in the order found; the first is `counterexample`. */
  findings: Finding[];
  /** Why the property could not be explored on this store (verdict `not-explorable`). */
  notExplorable?: string;
  /** Writes lost to the store's conflict error, over every run (shrinks included); absent when the store declares none. */
  conflicts?: ConflictFigure;
  /** An error that was not a property violation (the harness itself failed). */
  error?: string;
  /** The schedule whose run ended in `error` (fast-check shrinks on any error), and its fast-check path. */
  errorRun?: { schedule: Schedule; path?: string };
};

export type RunPropertyOptions = {
  pool: ActorPool;
  /** What the store declares, as the children report it (`Capabilities`): what the schedules and checks need. */
  capabilities: Pick<Capabilities, "checkpoints"> &
    Partial<Pick<Capabilities, "serialization" | "tripwire" | "writerCache" | "conflictError" | "absent">>;
  closed: ReadonlySet<LimitationId>;
  runs?: number;
  seed: number;
  path?: string;
  /**
   * At most this many distinct findings (default 1: stop at the first counterexample). Above
   * 1, exploration goes on after each one, within the same run budget, for runs whose defect
   * (findings.ts: the failed check, where and after what) is not found yet; each new one is shrunk on its own. A limitation has one check (its
   * own), so it always stops at its first; so does a replay of one `path`.
   */
  findings?: number;
  onRun?: (done: number) => void;
  /** Passed to every run, shrinking included: e.g. `{ tmpRoot: fatMount, fileClock: "as-is" }`. */
  runOptions?: EvaluateRunOptions;
};

class PropertyViolation extends Error {
  constructor(readonly evaluation: Counterexample) {
    super(evaluation.violations.map((v) => `step ${v.step} ${v.actor}: ${v.message}`).join("\n"));
  }
}

/** Explores one property with fast-check over real process runs, shrinking each distinct failure. */
export async function runProperty(property: PropertyDefinition, opts: RunPropertyOptions): Promise<PropertyResult> {
  const expectation: Expectation = property.limitation && !opts.closed.has(property.limitation) ? "reproduce" : "hold";
  const started = performance.now();
  const base = { id: property.id, title: property.title, expectation, seed: opts.seed };
  const unexplorable = whyNotExplorable(property, opts.capabilities, expectation);
  if (unexplorable) {
    return {
      ...base,
      verdict: "not-explorable",
      ok: true,
      runs: 0,
      timeMs: 0,
      findings: [],
      notExplorable: unexplorable,
    };
  }
  // A limitation's own budget is a floor: it stops at its first counterexample anyway.
  const budget =
    expectation === "reproduce" ? Math.max(opts.runs ?? 0, property.defaultRuns) : (opts.runs ?? property.defaultRuns);
  const cap = property.limitation || opts.path ? 1 : Math.max(1, opts.findings ?? 1);
  const found = new Set<string>();
  const findings: Finding[] = [];
  let calls = 0;
  let runs = 0;
  let next = 0;
  let error: string | undefined;
  let errorRun: PropertyResult["errorRun"];
  const conflicts = noConflicts();
  const evaluateFresh = async (schedule: Schedule): Promise<Counterexample | undefined> => {
    const evaluation = await evaluate(property, schedule, opts.pool, opts.closed, opts.runOptions);
    addConflicts(conflicts, evaluation.history);
    return freshDefect(evaluation.violations, evaluation.history, found) !== undefined
      ? { schedule, ...evaluation }
      : undefined;
  };
  const predicate = fc.asyncProperty(scheduleArbitrary(property.profile, opts.capabilities), async (schedule) => {
    const failure = await evaluateFresh(schedule);
    opts.onRun?.(++calls);
    if (failure) throw new PropertyViolation(failure);
  });
  while (findings.length < cap && next < budget) {
    // The same seed, started where the last failure was found: the rest of the budget, not a new one.
    const start = next > 0 ? String(next) : opts.path;
    const details = await fc.check(predicate, {
      numRuns: budget - next,
      seed: opts.seed,
      ...(start ? { path: start } : {}),
    });
    runs += details.numRuns;
    if (!details.failed) break;
    const path = details.counterexamplePath ?? undefined;
    const thrown = details.errorInstance;
    if (!(thrown instanceof PropertyViolation)) {
      // Not a violation: the harness or the store crashed. Never counts as a reproduction.
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
      const schedule = details.counterexample?.[0];
      if (schedule) errorRun = { schedule, ...(path ? { path } : {}) };
      break;
    }
    const counterexample = await minimize(thrown.evaluation, evaluateFresh);
    const defect = freshDefect(counterexample.violations, counterexample.history, found)!;
    findings.push({
      signature: signatureOf(property.id, defect.check, counterexample.schedule),
      ...(path ? { path } : {}),
      counterexample,
    });
    found.add(defectText(defect));
    // The run as it was found, too: a later run of the same shape is the same defect unshrunk.
    const unshrunk = freshDefect(thrown.evaluation.violations, thrown.evaluation.history, found);
    if (unshrunk) found.add(defectText(unshrunk));
    next = Number((path ?? String(budget)).split(":")[0]) + 1;
  }
  const timeMs = Math.round(performance.now() - started);
  const first = findings[0];
  const figure = opts.capabilities.conflictError ? { conflicts } : {};
  const failedVerdict: Verdict = expectation === "hold" ? "failed" : "reproduced";
  if (error !== undefined) {
    return {
      ...base,
      ...figure,
      verdict: "failed",
      ok: false,
      runs,
      timeMs,
      findings,
      error,
      ...(errorRun ? { errorRun } : {}),
      ...(first ? { counterexample: first.counterexample, path: first.path } : {}),
    };
  }
  if (!first) {
    const verdict: Verdict = expectation === "hold" ? "held" : "not-reproduced";
    return { ...base, ...figure, verdict, ok: verdict === "held", runs, timeMs, findings };
  }
  return {
    ...base,
    ...figure,
    verdict: failedVerdict,
    ok: failedVerdict === "reproduced",
    runs,
    timeMs,
    findings,
    counterexample: first.counterexample,
    ...(first.path ? { path: first.path } : {}),
  };
}

/**
 * Why the store's capabilities keep the harness from exercising this property, or undefined.
 * A limitation the store says it closed must be shown signalled as well as kept, so on a store
 * without a tripwire emitter it cannot be explored (the content is still checked, by
 * `no-lost-update`); one it still has can: "unsignalled" is what it looks for.
 */
export function whyNotExplorable(
  property: PropertyDefinition,
  capabilities: RunPropertyOptions["capabilities"],
  expectation: Expectation = "hold",
): string | undefined {
  if (capabilities.serialization === "sqlite" && property.profile.externals.min > 0) return SQLITE_NO_EXTERNALS;
  for (const need of property.needs ?? []) {
    if (need === "tripwire" && capabilities.tripwire === false) {
      return "the store declares no tripwire emitter (storeCapabilities.tripwire: false): there is no payload to time or check";
    }
    if (need === "checkpoints" && capabilities.checkpoints === "none") {
      return "the store's writers cannot be held at a checkpoint here, and this property needs a writer held mid-flight";
    }
    const absent = capabilities.absent?.find((item) => item.feature === need);
    if (need === "acp-preservation" && absent) {
      return `the store declares acp-preservation absent (${absent.reason}): there is no preservation to check`;
    }
    if (need === "writer-cache" && capabilities.writerCache === false) {
      return "the store keeps no writer cache (storeCapabilities.writerCache: false): every write re-reads the file, so there is no stale cache for an edit that keeps mtime and size to be served from";
    }
  }
  if (property.limitation && expectation === "hold" && capabilities.tripwire === false) {
    return `the store declares ${property.limitation} closed but has no tripwire emitter (storeCapabilities.tripwire: false): the signal this property wants cannot be received (whether the change is kept is checked by no-lost-update)`;
  }
  return undefined;
}
