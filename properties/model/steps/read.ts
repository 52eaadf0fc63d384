import { isDeepStrictEqual } from "node:util";
import type { FileSnapshot } from "../../../harness/history/types.js";
import type { LimitationId } from "../../../src/types.js";
import { diskStore, type CacheState } from "../load.js";
import { emptyPrediction, gatewayOf, type Alternative, type ModelState, type StoreTraits } from "../state.js";
import type { ExpectedOutcome, StepInput } from "../types.js";

/** A reader never emits and never takes the cache entry: the state goes on as it was. */
export function predictReadStep(
  state: ModelState,
  input: StepInput,
  actor: string,
  skipCache: boolean,
  traits: StoreTraits,
): Alternative[] {
  const outcome = predictRead(gatewayOf(state, actor).cache, input.before, skipCache, traits.closed);
  return [{ prediction: { ...emptyPrediction(input.index, "read"), outcomes: [outcome] }, next: state }];
}

/** The cached store while its stat matches, else the disk. */
function predictRead(
  cache: CacheState,
  before: FileSnapshot,
  skipCache: boolean,
  closed: ReadonlySet<LimitationId>,
): ExpectedOutcome {
  const disk = diskStore({ kind: "snapshot", snapshot: before });
  const fromDisk: ExpectedOutcome =
    disk === "unparseable" ? { status: "error", because: "unparseable" } : { status: "ok-read", value: disk };
  if (skipCache || !cache || cache.stat === "own-write") return fromDisk;
  const stat = before.stat;
  const fresh = stat.kind === "present" && stat.mtimeMs === cache.stat.mtimeMs && stat.size === cache.stat.size;
  if (!fresh) return fromDisk;
  // A store that closed coarse-mtime may notice the change here too; either answer is allowed.
  if (closed.has("coarse-mtime") && fromDisk.status === "ok-read" && !isDeepStrictEqual(fromDisk.value, cache.store)) {
    return { status: "ok-read", value: cache.store, alternatives: [fromDisk.value] };
  }
  return { status: "ok-read", value: cache.store };
}
