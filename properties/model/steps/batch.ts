import { batchOpStamp } from "../../../harness/schedule/mutations.js";
import type { WriterOp } from "../../../harness/schedule/schema.js";
import type { CacheState, LiveFile } from "../load.js";
import { emptyPrediction, gatewayOf, withGateway } from "../state.js";
import type { Alternative, ModelState, StoreTraits } from "../state.js";
import type { ExpectedOutcome, StepInput, StepPrediction, StoreData } from "../types.js";
import { finishes, loadWriter, outcomeOf, statOfLoad } from "../writer.js";
import { joinBranch } from "./finish.js";

/** Where a batch stands after some of its writers: what each must end with, and what the next one finds. */
type Partial = {
  prediction: StepPrediction;
  outcomes: ExpectedOutcome[];
  live: LiveFile;
  cache: CacheState;
  lastStoreWrite: StoreData | null;
};

/**
 * Several writers in one queue turn: each loads what the one before it left (its own write, a
 * cache hit) and may, like any writer, skip a write that changes nothing; every combination of
 * those choices is allowed.
 */
export function predictBatch(
  state: ModelState,
  input: StepInput,
  actor: string,
  ops: readonly WriterOp[],
  traits: StoreTraits,
): Alternative[] {
  const base = emptyPrediction(input.index, "");
  if (state.lockLeftAt !== null)
    return [
      {
        prediction: { ...base, branch: "waits for the lock a killed writer left", blockedBy: state.lockLeftAt },
        next: state,
      },
    ];
  let partials: Partial[] = [
    {
      prediction: base,
      outcomes: [],
      live: { kind: "snapshot", snapshot: input.before },
      cache: gatewayOf(state, actor).cache,
      lastStoreWrite: state.lastStoreWrite,
    },
  ];
  ops.forEach((op, i) => {
    partials = partials.flatMap((at) => {
      const writer = loadWriter(at.cache, at.live, at.lastStoreWrite, traits, op, batchOpStamp(input.index, i), {
        step: input.index,
        actor,
      });
      const prediction = {
        ...at.prediction,
        tripwires: [...at.prediction.tripwires, ...writer.tripwires],
        anomalies: [...at.prediction.anomalies, ...writer.anomalies],
      };
      if (!writer.result.ok || writer.base === "unparseable") {
        return [{ ...at, prediction, outcomes: [...at.outcomes, outcomeOf(writer.result)], cache: null }];
      }
      return finishes(writer.base, writer.result.store, statOfLoad(at.live), traits).map(
        (finish): Partial =>
          finish.kind === "conflicted"
            ? {
                ...at,
                prediction: { ...prediction, branch: joinBranch(prediction.branch, `writer ${i} conflicted`) },
                outcomes: [...at.outcomes, { status: "error", because: "conflict" }],
                cache: null,
              }
            : finish.kind === "wrote"
              ? {
                  prediction: {
                    ...prediction,
                    branch: joinBranch(prediction.branch, `writer ${i} wrote`),
                    content: { kind: "store", store: finish.store },
                  },
                  outcomes: [...at.outcomes, { status: "ok" }],
                  live: { kind: "own-write", store: finish.store },
                  cache: finish.cache,
                  lastStoreWrite: finish.store,
                }
              : {
                  ...at,
                  prediction: {
                    ...prediction,
                    branch: joinBranch(prediction.branch, `writer ${i} skipped its unchanged write`),
                  },
                  outcomes: [...at.outcomes, { status: "ok" }],
                  cache: finish.cache,
                },
      );
    });
  });
  return partials.map((at) => ({
    prediction: { ...at.prediction, outcomes: at.outcomes },
    next: {
      ...withGateway(state, actor, { cache: at.cache, paused: gatewayOf(state, actor).paused }),
      lastStoreWrite: at.lastStoreWrite,
    },
  }));
}
