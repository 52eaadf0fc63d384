import type { GatewayStep, WriterOp } from "../../../harness/schedule/schema.js";
import type { LiveFile } from "../load.js";
import { emptyPrediction, gatewayOf, withGateway } from "../state.js";
import type { Alternative, ModelState, StoreTraits } from "../state.js";
import type { StepInput } from "../types.js";
import { finishes, loadWriter, outcomeOf, statOfLoad } from "../writer.js";
import { finishAlternative } from "./finish.js";

type SingleWriterStep = Exclude<GatewayStep, { op: "batch" | "read" | "resume" | "restart" }>;

/** The op a single-writer step runs, without its actor and pause. */
export const writerOpOf = (step: SingleWriterStep): WriterOp => {
  const { actor: _actor, pause: _pause, ...op } = step;
  return op as WriterOp;
};

/**
 * One writer, maybe held at a checkpoint. Held at `after-load`, it holds unless the file is
 * unparseable (it fails before its mutator). Held at `before-rename`, it holds if it will
 * rename; a store that skips an unchanged write never reaches that checkpoint and just ends.
 */
export function predictWrite(
  state: ModelState,
  input: StepInput,
  step: SingleWriterStep,
  traits: StoreTraits,
): Alternative[] {
  const base = emptyPrediction(input.index, "");
  if (state.lockLeftAt !== null) {
    // It waits for the lock before it loads: nothing is read, taken or written.
    return [
      {
        prediction: { ...base, branch: "waits for the lock a killed writer left", blockedBy: state.lockLeftAt },
        next: state,
      },
    ];
  }
  const op = writerOpOf(step);
  const live: LiveFile = { kind: "snapshot", snapshot: input.before };
  const gateway = gatewayOf(state, step.actor);
  const writer = loadWriter(gateway.cache, live, state.lastStoreWrite, traits, op, input.index, {
    step: input.index,
    actor: step.actor,
  });
  const loaded = { ...base, tripwires: writer.tripwires, anomalies: writer.anomalies };
  // The writer takes the cache entry at its load.
  const taken = withGateway(state, step.actor, { ...gateway, cache: null });
  const held = (checkpoint: "after-load" | "before-rename", loadedBase: Record<string, any>): Alternative => ({
    prediction: { ...loaded, branch: `held at ${checkpoint}`, holds: checkpoint },
    next: withGateway(state, step.actor, {
      cache: null,
      paused: { op, stamp: input.index, base: loadedBase, loadedFrom: input.before },
    }),
  });
  if (step.pause === "after-load" && writer.base !== "unparseable") return [held("after-load", writer.base)];
  if (!writer.result.ok || writer.base === "unparseable") {
    return [{ prediction: { ...loaded, branch: "failed", outcomes: [outcomeOf(writer.result)] }, next: taken }];
  }
  const ends = finishes(writer.base, writer.result.store, statOfLoad(live), traits).map((finish) =>
    finishAlternative(taken, step.actor, finish, loaded),
  );
  if (step.pause !== "before-rename") return ends;
  return [held("before-rename", writer.base), ...ends.filter((end) => end.prediction.content.kind === "unchanged")];
}
