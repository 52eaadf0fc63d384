import { isDeepStrictEqual } from "node:util";
import type { FileSnapshot } from "../../harness/history/types.js";
import type { LimitationId } from "../../src/types.js";
import type { ExpectedTripwire, PresentStat, StoreData } from "./types.js";

/** The file a writer finds at its load: a recorded snapshot, or its own write earlier in a batch. */
export type LiveFile = { kind: "snapshot"; snapshot: FileSnapshot } | { kind: "own-write"; store: StoreData };

export type CacheState = { store: StoreData; stat: PresentStat | "own-write" } | null;

/** What a load predicts: the store the mutator starts from (or a refusal), and the signals. */
export type LoadPrediction = {
  kind: "hit" | "miss" | "invalidated";
  base: StoreData | "unparseable";
  tripwires: ExpectedTripwire[];
  /** An unsignalled change the ideal design would catch here, with the limitation it belongs to. */
  anomaly?: { limitation: LimitationId; detail: string; closedBase: StoreData | "unparseable" };
};

export function diskStore(file: LiveFile): StoreData | "unparseable" {
  if (file.kind === "own-write") return structuredClone(file.store);
  const content = file.snapshot.content;
  if (content.kind === "json") return structuredClone(content.store);
  return content.kind === "missing" ? {} : "unparseable";
}

const sameContent = (file: LiveFile, store: StoreData): boolean =>
  file.kind === "own-write"
    ? isDeepStrictEqual(file.store, store)
    : file.snapshot.content.kind === "json" && isDeepStrictEqual(file.snapshot.content.store, store);

/**
 * The contract's load rule, step 1 of the writer path: hit while `mtimeMs` and size match the
 * cache, invalidated (one tripwire) when they differ or the file is gone, miss without a cache.
 * `lastStoreWrite` is what any gateway of this store last wrote: the ideal design signals a
 * miss that finds something else there. `writerCache: false` (a store whose writers re-read
 * the file every time) only changes how that miss is told: such a writer never has an entry.
 */
export function predictLoad(
  cache: CacheState,
  live: LiveFile,
  lastStoreWrite: StoreData | null,
  closed: ReadonlySet<LimitationId>,
  writerCache = true,
): LoadPrediction {
  if (!cache) {
    const changedSinceLastWrite =
      lastStoreWrite !== null && !sameContent(live, lastStoreWrite) && diskStore(live) !== "unparseable";
    if (!changedSinceLastWrite) return { kind: "miss", base: diskStore(live), tripwires: [] };
    const anomaly = {
      limitation: "empty-cache-bypass" as const,
      detail: writerCache
        ? "a writer without a cache entry found the file changed since the store last wrote it, and said nothing"
        : "a writer (this store keeps no writer cache: it re-reads the file on every write) found the file changed since the store last wrote it, and said nothing",
      closedBase: diskStore(live),
    };
    return closed.has("empty-cache-bypass")
      ? {
          kind: "invalidated",
          base: diskStore(live),
          tripwires: [{ kind: "closed-limitation", limitation: "empty-cache-bypass" }],
          anomaly,
        }
      : { kind: "miss", base: diskStore(live), tripwires: [], anomaly };
  }
  if (live.kind === "own-write" || cache.stat === "own-write")
    return { kind: "hit", base: structuredClone(cache.store), tripwires: [] };
  const stat = live.snapshot.stat;
  const expected = { mtimeMs: cache.stat.mtimeMs, size: cache.stat.size };
  if (stat.kind === "missing") {
    return {
      kind: "invalidated",
      base: {},
      tripwires: [{ kind: "contract", reason: "missing_file", expected, observed: null }],
    };
  }
  if (stat.mtimeMs !== cache.stat.mtimeMs || stat.size !== cache.stat.size) {
    const observed = { mtimeMs: stat.mtimeMs, size: stat.size };
    return {
      kind: "invalidated",
      base: diskStore(live),
      tripwires: [{ kind: "contract", reason: "stat_mismatch", expected, observed }],
    };
  }
  if (sameContent(live, cache.store)) return { kind: "hit", base: structuredClone(cache.store), tripwires: [] };
  const anomaly = {
    limitation: "coarse-mtime" as const,
    detail: "the file changed but its mtimeMs and size did not: the writer used its stale cache",
    closedBase: diskStore(live),
  };
  return closed.has("coarse-mtime")
    ? {
        kind: "invalidated",
        base: diskStore(live),
        tripwires: [{ kind: "closed-limitation", limitation: "coarse-mtime" }],
        anomaly,
      }
    : { kind: "hit", base: structuredClone(cache.store), tripwires: [], anomaly };
}
