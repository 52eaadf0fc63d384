import { isGatewayStep, type GatewayStep } from "../../harness/schedule/schema.js";
import { emptyPrediction, gatewayOf, withGateway } from "./state.js";
import type { Alternative, ModelState, StoreTraits } from "./state.js";
import { predictBatch } from "./steps/batch.js";
import { predictReadStep } from "./steps/read.js";
import { predictResume } from "./steps/resume.js";
import { predictWrite } from "./steps/write.js";
import type { StepInput } from "./types.js";

/**
 * The reference model: the contract's writer path, one step at a time. From the state before a
 * step and what the step may know (`StepInput`: the schedule's step and the file it found), it
 * lists every behaviour the contract allows there, each with what must be seen (tripwires,
 * outcomes, the file's parsed content, a hold) and the state it leaves. It never reads how the
 * step ended: the checks (`resolvePredictions`) accept any one of the alternatives.
 * `traits.closed` names limitations the store claims to have fixed: there the model expects
 * the ideal design instead. Content is parsed, never bytes: the contract does not fix a format.
 */
export function predictStep(state: ModelState, input: StepInput, traits: StoreTraits): Alternative[] {
  const { step, index } = input;
  if (step.actor === "clock") return [{ prediction: emptyPrediction(index, "clock"), next: state }];
  if (!isGatewayStep(step))
    return [{ prediction: { ...emptyPrediction(index, "external"), content: { kind: "external" } }, next: state }];
  const alternatives = predictGatewayStep(state, input, step, traits);
  return alternatives.map((alternative) => ({
    ...alternative,
    next: settleOwnWrite(alternative.next, step.actor, input),
  }));
}

function predictGatewayStep(
  state: ModelState,
  input: StepInput,
  step: GatewayStep,
  traits: StoreTraits,
): Alternative[] {
  switch (step.op) {
    case "read":
      return predictReadStep(state, input, step.actor, step.skipCache, traits);
    case "restart":
      return [
        {
          prediction: emptyPrediction(input.index, "restarted"),
          next: restart(state, step.actor, input.index, traits),
        },
      ];
    case "resume":
      return predictResume(state, input, step.actor, traits);
    case "batch":
      return predictBatch(state, input, step.actor, step.ops, traits);
    default:
      return predictWrite(state, input, step, traits);
  }
}

/** A killed gateway loses its cache and its held writer; a lock-file store's held writer leaves its lock (lock-file.ts). */
function restart(state: ModelState, actor: string, index: number, traits: StoreTraits): ModelState {
  const leavesLock = traits.lockFile && gatewayOf(state, actor).paused !== null && state.lockLeftAt === null;
  return {
    ...withGateway(state, actor, { cache: null, paused: null }),
    lockLeftAt: leavesLock ? index : state.lockLeftAt,
  };
}

/**
 * A cache entry for the gateway's own write records the stat the file had after it: the value
 * a stat call would return, which no model can predict. If the file is missing after the step
 * the write did not land (the content check says so) and no entry can stand for it.
 */
function settleOwnWrite(state: ModelState, actor: string, input: StepInput): ModelState {
  const gateway = gatewayOf(state, actor);
  if (gateway.cache?.stat !== "own-write") return state;
  const stat = input.statAfter;
  return withGateway(state, actor, {
    ...gateway,
    cache: stat.kind === "present" ? { store: gateway.cache.store, stat } : null,
  });
}

export { initialState, traitsOf, type Alternative, type ModelState, type StoreTraits } from "./state.js";
