import { isDeepStrictEqual } from "node:util";
import { allowedAcpDrops, applyWriterOp } from "../../harness/schedule/mutations.js";
import type { WriterOp } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import { preserveAcp } from "./acp.js";
import { predictLoad, type CacheState, type LiveFile } from "./load.js";
import type { StoreTraits } from "./state.js";
import type { Anomaly, ExpectedOutcome, ExpectedTripwire, PresentStat, StoreData } from "./types.js";

/** The result of running one writer's mutator on the store it loaded. */
export type Mutation = { ok: true; store: StoreData } | { ok: false; because: "mutator" | "unparseable" };

export function mutate(base: StoreData | "unparseable", op: WriterOp, stamp: number, traits: StoreTraits): Mutation {
  if (base === "unparseable") return { ok: false, because: "unparseable" };
  const store = structuredClone(base);
  try {
    applyWriterOp(store, op, stamp);
  } catch {
    return { ok: false, because: "mutator" };
  }
  if (traits.keepsAcp) preserveAcp(base, store, allowedAcpDrops(op));
  return { ok: true, store };
}

export const outcomeOf = (mutation: Mutation): ExpectedOutcome =>
  mutation.ok ? { status: "ok" } : { status: "error", because: mutation.because };

/** Where an anomaly is: the step and the gateway, to name it in a violation. */
export type Site = { step: number; actor: string };

export const anomalyAt = (
  site: Site,
  limitation: LimitationId,
  detail: string,
  content: StoreData | "unchanged",
): Anomaly => ({
  limitation,
  step: site.step,
  actor: site.actor,
  detail,
  closed: { content },
});

/** One writer's load and mutator: the store it starts from, its signals, and what it made. */
export type LoadedWriter = {
  base: StoreData | "unparseable";
  result: Mutation;
  tripwires: ExpectedTripwire[];
  anomalies: Anomaly[];
};

export function loadWriter(
  cache: CacheState,
  live: LiveFile,
  lastStoreWrite: StoreData | null,
  traits: StoreTraits,
  op: WriterOp,
  stamp: number,
  site: Site,
): LoadedWriter {
  const loaded = predictLoad(cache, live, lastStoreWrite, traits.closed, traits.writerCache);
  const anomalies: Anomaly[] = [];
  if (loaded.anomaly) {
    const closedResult = mutate(loaded.anomaly.closedBase, op, stamp, traits);
    anomalies.push(
      anomalyAt(
        site,
        loaded.anomaly.limitation,
        loaded.anomaly.detail,
        closedResult.ok ? closedResult.store : "unchanged",
      ),
    );
  }
  return { base: loaded.base, result: mutate(loaded.base, op, stamp, traits), tripwires: loaded.tripwires, anomalies };
}

/**
 * How a writer whose mutator succeeded may end, as the contract allows:
 * - `wrote`: the new store is renamed into place, and its cache entry stands for that write;
 * - `skipped`, only when the mutator changed nothing: the store may leave the file as it is
 *   (openclaw compares what it would write with what it loaded). The cache entry must then
 *   stand for the bytes on disk at the stat it records: what the writer loaded, at the stat it
 *   loaded it at, or no entry at all. Recording the file's current stat against an older load
 *   would make a later writer use a store the file no longer holds: that is a finding, never
 *   a branch here.
 * - `conflicted`, only for a store that declares a conflict error: the write fails with that
 *   error and changes nothing (a SQLite store's commit finds a key it changed moved since its
 *   read; a delete, prepared in one queue turn and committed in another, may find that of a
 *   store the queue order says it never saw).
 * `loadedStat` is the stat the writer loaded at (`own-write` inside a batch: its own last
 * write; `missing`: nothing was there, so no entry can stand for it).
 */
export type Finish =
  | { kind: "wrote"; store: StoreData; cache: CacheState }
  | { kind: "skipped"; cache: CacheState }
  | { kind: "conflicted" };

export function finishes(
  base: StoreData,
  result: StoreData,
  loadedStat: PresentStat | "own-write" | "missing",
  traits: StoreTraits,
): Finish[] {
  const wrote: Finish = {
    kind: "wrote",
    store: result,
    cache: traits.writerCache ? { store: result, stat: "own-write" } : null,
  };
  const conflicts: Finish[] = traits.mayConflict ? [{ kind: "conflicted" }] : [];
  if (!isDeepStrictEqual(result, base)) return [wrote, ...conflicts];
  const skips: Finish[] = [{ kind: "skipped", cache: null }];
  if (traits.writerCache && loadedStat !== "missing")
    skips.unshift({ kind: "skipped", cache: { store: base, stat: loadedStat } });
  return [wrote, ...skips, ...conflicts];
}

/** The stat a writer loaded at, from the snapshot of the file it loaded. */
export const statOfLoad = (live: LiveFile): PresentStat | "own-write" | "missing" => {
  if (live.kind === "own-write") return "own-write";
  const stat = live.snapshot.stat;
  return stat.kind === "present" ? stat : "missing";
};
