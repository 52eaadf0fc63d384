import type { CacheEntry, FreshnessCheck } from "./check.js";
import { statPair, type FileStat, type PresentStat, type StatPair } from "./stat.js";
import type { Store } from "../types.js";

/** The outcome of a writer's cache lookup; `invalidated` carries what the tripwire reports. */
export type WriterCacheLoad =
  /** `text`: what the entry's write put on disk (see CacheEntry). */
  | { kind: "hit"; store: Store; text: string }
  | { kind: "miss" }
  | { kind: "invalidated"; reason: "missing_file"; expected: StatPair; observed: null; stale: CacheEntry }
  | {
      kind: "invalidated";
      reason: "stat_mismatch" | "content_mismatch";
      expected: StatPair;
      observed: StatPair;
      stale: CacheEntry;
    };

export type WriterCache = ReturnType<typeof createWriterCache>;

/**
 * The per-process writer cache. A writer *takes* the entry (the process holds none while the
 * writer runs) and records a new one only after a successful write.
 */
export function createWriterCache(isFresh: FreshnessCheck) {
  const entries = new Map<string, CacheEntry>();

  function tryTakeMutableSessionStoreCacheWithReason(storePath: string, live: FileStat): WriterCacheLoad {
    const entry = entries.get(storePath);
    if (!entry) return { kind: "miss" };
    entries.delete(storePath);
    const freshness = isFresh(entry, live, storePath);
    const expected = statPair(entry.stat)!;
    switch (freshness.kind) {
      case "fresh":
        return { kind: "hit", store: entry.store, text: entry.text };
      case "stale":
        return freshness.reason === "missing_file"
          ? { kind: "invalidated", reason: "missing_file", expected, observed: null, stale: entry }
          : {
              kind: "invalidated",
              reason: freshness.reason,
              expected,
              observed: statPair(freshness.observed)!,
              stale: entry,
            };
    }
  }

  /** The plain form: the cached store on a hit, otherwise `undefined`. */
  function takeMutableSessionStoreCache(storePath: string, live: FileStat): Store | undefined {
    const load = tryTakeMutableSessionStoreCacheWithReason(storePath, live);
    return load.kind === "hit" ? load.store : undefined;
  }

  /** Readers look without taking: the cached store only while it is fresh. */
  function peekFresh(storePath: string, live: FileStat): Store | undefined {
    const entry = entries.get(storePath);
    return entry && isFresh(entry, live, storePath).kind === "fresh" ? entry.store : undefined;
  }

  function record(storePath: string, store: Store, stat: PresentStat, text: string): void {
    entries.set(storePath, { store, stat, text });
  }

  return {
    tryTakeMutableSessionStoreCacheWithReason,
    takeMutableSessionStoreCache,
    peekFresh,
    record,
    clear: () => entries.clear(),
  };
}
