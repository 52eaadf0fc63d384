import { isDeepStrictEqual } from "node:util";
import { diskStore, type LiveFile } from "../load.js";
import { emptyPrediction, gatewayOf, withGateway } from "../state.js";
import type { Alternative, ModelState, StoreTraits } from "../state.js";
import type { StepInput, StepPrediction } from "../types.js";
import { anomalyAt, finishes, mutate, outcomeOf, statOfLoad } from "../writer.js";
import { finishAlternative } from "./finish.js";

const MID_FLIGHT = "the file changed between this writer's load and its rename; the write overwrote it unsignalled";

/**
 * A held writer goes on. If the file changed while it was held (`mid-flight-drift`), a store
 * that has the limitation writes over the change unsignalled; one that closed it signals and
 * re-applies its write to the file as it is now. Either may skip a write that changes nothing.
 */
export function predictResume(state: ModelState, input: StepInput, actor: string, traits: StoreTraits): Alternative[] {
  const gateway = gatewayOf(state, actor);
  const held = gateway.paused;
  const base = emptyPrediction(input.index, "");
  const released = withGateway(state, actor, { ...gateway, paused: null });
  if (!held)
    return [
      {
        prediction: { ...base, branch: "nothing is held", outcomes: [{ status: "error", because: "harness" }] },
        next: released,
      },
    ];
  const result = mutate(held.base, held.op, held.stamp, traits);
  if (!result.ok) return [{ prediction: { ...base, branch: "failed", outcomes: [outcomeOf(result)] }, next: released }];

  const loadedFrom: LiveFile = { kind: "snapshot", snapshot: held.loadedFrom };
  const asLoaded = finishes(held.base, result.store, statOfLoad(loadedFrom), traits);
  const drifted = !isDeepStrictEqual(input.before.content, held.loadedFrom.content);
  if (!drifted) return asLoaded.map((finish) => finishAlternative(released, actor, finish, base));

  // Skipping an unchanged write overwrites nothing, nor does a write that fails with the store's
  // conflict error: no change is lost, nothing need be signalled.
  const skips = asLoaded
    .filter((finish) => finish.kind !== "wrote")
    .map((finish) => finishAlternative(released, actor, finish, { ...base, branch: "the file changed while held" }));
  const now = diskStore({ kind: "snapshot", snapshot: input.before });
  const rebased = mutate(now, held.op, held.stamp, traits);
  const site = { step: input.index, actor };
  const anomaly = anomalyAt(site, "mid-flight-drift", MID_FLIGHT, rebased.ok ? rebased.store : "unchanged");
  if (!traits.closed.has("mid-flight-drift")) {
    const overwrote = asLoaded.filter((finish) => finish.kind === "wrote");
    return [
      ...overwrote.map((finish) =>
        finishAlternative(released, actor, finish, { ...base, branch: "wrote over the change", anomalies: [anomaly] }),
      ),
      ...skips,
    ];
  }
  const signalled: StepPrediction = {
    ...base,
    branch: "signalled the change and re-applied the write",
    tripwires: [{ kind: "closed-limitation", limitation: "mid-flight-drift" }],
    anomalies: [anomaly],
  };
  if (!rebased.ok || now === "unparseable")
    return [{ prediction: { ...signalled, outcomes: [outcomeOf(rebased)] }, next: released }, ...skips];
  const reapplied = finishes(now, rebased.store, statOfLoad({ kind: "snapshot", snapshot: input.before }), traits);
  return [...reapplied.map((finish) => finishAlternative(released, actor, finish, signalled)), ...skips];
}
