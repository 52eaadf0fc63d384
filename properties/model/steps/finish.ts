import type { Finish } from "../writer.js";
import { gatewayOf, withGateway, type Alternative, type ModelState } from "../state.js";
import type { StepPrediction } from "../types.js";

/**
 * A writer's finish as an alternative of its step: the file it leaves (the new store, or
 * unchanged when it skipped or conflicted), and its gateway's cache entry. `signal` is what the step must
 * show besides (tripwires, anomalies, an error outcome), shared by every finish of one writer.
 */
export function finishAlternative(
  state: ModelState,
  actor: string,
  finish: Finish,
  prediction: StepPrediction,
): Alternative {
  const gateway = gatewayOf(state, actor);
  if (finish.kind === "conflicted")
    return {
      prediction: {
        ...prediction,
        branch: joinBranch(prediction.branch, "failed with the store's conflict error, changing nothing"),
        outcomes: [{ status: "error", because: "conflict" }],
        content: { kind: "unchanged" },
      },
      next: withGateway(state, actor, { ...gateway, cache: null }),
    };
  if (finish.kind === "skipped") {
    const branch = finish.cache
      ? "skipped the unchanged write, keeping its load as the cache entry"
      : "skipped the unchanged write, keeping no cache entry";
    return {
      prediction: {
        ...prediction,
        branch: joinBranch(prediction.branch, branch),
        outcomes: [{ status: "ok" }],
        content: { kind: "unchanged" },
      },
      next: withGateway(state, actor, { ...gateway, cache: finish.cache }),
    };
  }
  return {
    prediction: {
      ...prediction,
      branch: joinBranch(prediction.branch, "wrote"),
      outcomes: [{ status: "ok" }],
      content: { kind: "store", store: finish.store },
    },
    next: { ...withGateway(state, actor, { ...gateway, cache: finish.cache }), lastStoreWrite: finish.store },
  };
}

export const joinBranch = (before: string, after: string): string => (before ? `${before}; ${after}` : after);
