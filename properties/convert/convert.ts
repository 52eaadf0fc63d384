import type { FreeRunningHistory } from "../../harness/history/types.js";
import type { ActorPool } from "../../harness/pool/pool.js";
import { ScheduleSchema, type CheckpointName, type Schedule } from "../../harness/schedule/schema.js";
import { findScheduleIssues } from "../../harness/schedule/validate.js";
import type { LimitationId } from "../../src/types.js";
import { propertyById } from "../catalogue.js";
import type { Violation } from "../checks/violation.js";
import { describeStep } from "../report/describe-step.js";
import { evaluate } from "../run/evaluate.js";
import { minimize } from "../run/minimize.js";
import type { Counterexample } from "../run/counterexample.js";
import type { ScenarioInput } from "../scenario/schema.js";
import { writeScenario } from "../scenario/save.js";
import { buildSchedule } from "./build-schedule.js";
import { findCandidates, type Candidate } from "./candidates.js";

/** One candidate's conversion: a saved scenario, or why none was. */
export type Conversion =
  | { kind: "reproduced"; candidate: Candidate; property: string; counterexample: Counterexample; file: string }
  | { kind: "not-reproduced"; candidate: Candidate; tried: string[]; reason: string };

export type ConvertOptions = {
  pool: ActorPool;
  closed: ReadonlySet<LimitationId>;
  seed: number;
  out: string;
  max: number;
  storeModule: string;
};

/** Two candidates are one when they share the kind and the operations' kinds (values never count). */
const signature = (candidate: Candidate) =>
  [candidate.kind, ...[candidate.victim, ...candidate.others].map((op) => op.step.op).sort()].join(" ");

/**
 * Turns what a checked free-running history found into replayable, shrunk scenarios: for each
 * of the first `max` distinct candidates, the step-locked schedule that re-creates its order of
 * events (paused at `after-load`, then at `before-rename`), replayed on the same store; the first
 * of its properties that fails is shrunk with the explore minimizer and saved under `out`.
 */
export async function convertFreeRunning(
  history: FreeRunningHistory,
  violations: Violation[],
  opts: ConvertOptions,
): Promise<{ conversions: Conversion[]; candidates: number; distinct: number }> {
  const candidates = findCandidates(history, violations, opts.closed);
  const kinds = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const key = signature(candidate);
    kinds.set(key, [...(kinds.get(key) ?? []), candidate]);
  }
  const conversions: Conversion[] = [];
  for (const [n, same] of [...kinds.values()].slice(0, opts.max).entries()) {
    // Timing on the shared clock is measured, not exact: the next of the same kind may re-create where one did not.
    let conversion: Conversion | undefined;
    for (const candidate of same.slice(0, TRIES_PER_KIND)) {
      conversion = await convertOne(history, candidate, n, opts);
      if (conversion.kind === "reproduced") break;
    }
    conversions.push(conversion!);
  }
  return { conversions, candidates: candidates.length, distinct: kinds.size };
}

/** Candidates of one kind tried before that kind is reported as not reproduced. */
const TRIES_PER_KIND = 3;

async function convertOne(
  history: FreeRunningHistory,
  candidate: Candidate,
  n: number,
  opts: ConvertOptions,
): Promise<Conversion> {
  const tried: string[] = [];
  let reason = "no property failed on the re-created schedule";
  const checkpoints: CheckpointName[] = ["after-load", "before-rename"];
  for (const checkpoint of checkpoints) {
    const schedule = buildSchedule(history, candidate, checkpoint);
    const hasPause = schedule.steps.some((step) => "pause" in step && step.pause);
    tried.push(`${schedule.steps.map((step) => describeStep(step)).join("; ")}`);
    const invalid = scheduleProblem(schedule);
    if (invalid) {
      reason = `the re-created schedule is not a valid schedule: ${invalid}`;
      continue;
    }
    for (const id of candidate.properties) {
      const property = propertyById(id);
      const stillFails = async (candidateSchedule: Schedule): Promise<Counterexample | undefined> => {
        const evaluation = await evaluate(property, candidateSchedule, opts.pool, opts.closed);
        return evaluation.violations.length > 0 ? { schedule: candidateSchedule, ...evaluation } : undefined;
      };
      let found: Counterexample | undefined;
      try {
        found = await stillFails(schedule);
      } catch (error) {
        reason = `the re-created schedule could not run: ${(error as Error).message}`;
        continue;
      }
      if (!found) continue;
      const counterexample = await minimize(found, stillFails);
      const file = save(history, candidate, id, counterexample, n, opts);
      return { kind: "reproduced", candidate, property: id, counterexample, file };
    }
    if (!hasPause) break;
  }
  return { kind: "not-reproduced", candidate, tried, reason };
}

/** Why a built schedule is not one the runner takes (the schema's first issue, then the rules it cannot see), or undefined. */
function scheduleProblem(schedule: Schedule): string | undefined {
  const parsed = ScheduleSchema.safeParse(schedule);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)[0];
  const issue = findScheduleIssues(schedule)[0];
  return issue && `${issue.path}: ${issue.message}`;
}

function save(
  history: FreeRunningHistory,
  candidate: Candidate,
  property: string,
  found: Counterexample,
  n: number,
  opts: ConvertOptions,
): string {
  const { seed, seconds, gateways, externals } = history.run;
  const scenario: ScenarioInput = {
    name: `${property} from a stress run (seed ${seed}, ${candidate.kind})`,
    story: `stress --seconds ${seconds} --gateways ${gateways} --externals ${externals} --seed ${seed} (${new Date().toISOString()}) saw: ${candidate.saw}; re-created from ${1 + candidate.others.length} operation(s), the first at ${candidate.victim.startedAt.toFixed(1)} ms into the run`,
    schedule: found.schedule,
    expect: [{ store: "under-test", fails: [property] }],
    found: { property, store: opts.storeModule, seed, violations: found.violations },
  };
  return writeScenario(opts.out, `stress-seed${seed}-${n + 1}-${property}.json`, scenario);
}
