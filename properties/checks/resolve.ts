import { isDeepStrictEqual } from "node:util";
import type { StepLockedHistory, StepRecord } from "../../harness/history/types.js";
import type { LimitationId } from "../../src/types.js";
import { initialState, predictStep, traitsOf, type Alternative, type ModelState } from "../model/predict.js";
import type { StepInput, StepPrediction } from "../model/types.js";
import { contentProblems, endProblems, rulesOf, type CheckRules } from "./outcomes-and-content.js";
import { tripwireProblems } from "./tripwire-match.js";

/** How many model states are followed side by side; more are dropped (a false alarm at worst, never a miss). */
const MAX_STATES = 64;

/** What the model may know of a recorded step: never its end, outcomes, payloads or the file after it. */
export const modelInput = (record: StepRecord): StepInput => ({
  index: record.index,
  step: record.step,
  before: record.before,
  statAfter: record.after.stat,
});

/**
 * The model's prediction for every step of a history. Where the contract allows more than one
 * behaviour the model lists them all (`predictStep`); here the history is checked against
 * them, and the step's prediction is one the recorded step agrees with. The model states of
 * every agreeing alternative are followed on, so a later step is judged against every
 * behaviour still allowed. When none agrees, the prediction is the one that disagrees least
 * (first in what the step ended with, then the file, then the payloads): the checks then say
 * what is wrong with it.
 */
export function resolvePredictions(
  history: StepLockedHistory,
  closed: ReadonlySet<LimitationId>,
  predict = predictStep,
): StepPrediction[] {
  const traits = traitsOf(history.capabilities, closed);
  const tripwires = history.capabilities.tripwire !== false;
  const rules = rulesOf(history);
  let states: ModelState[] = [initialState()];
  return history.steps.map((record) => {
    const input = modelInput(record);
    const alternatives = states.flatMap((state) => predict(state, input, traits));
    const chosen = closestAlternatives(alternatives, record, rules, tripwires);
    states = distinct(chosen.map((alternative) => alternative.next)).slice(0, MAX_STATES);
    return chosen[0]!.prediction;
  });
}

/** The alternatives the step agrees with best: in what it ended with, then its file, then its payloads. */
function closestAlternatives(
  alternatives: Alternative[],
  record: StepRecord,
  rules: CheckRules,
  tripwires: boolean,
): Alternative[] {
  const aspects: ((prediction: StepPrediction) => boolean)[] = [
    (prediction) => endProblems(record, prediction, rules).length === 0,
    (prediction) => contentProblems(record, prediction, rules).length === 0,
    (prediction) => !tripwires || tripwireProblems(record, prediction.tripwires).length === 0,
  ];
  let best = alternatives;
  for (const agrees of aspects) {
    const agreeing = best.filter((alternative) => agrees(alternative.prediction));
    if (agreeing.length > 0) best = agreeing;
  }
  return best;
}

function distinct(states: ModelState[]): ModelState[] {
  const kept: ModelState[] = [];
  for (const state of states) if (!kept.some((other) => isDeepStrictEqual(other, state))) kept.push(state);
  return kept;
}
