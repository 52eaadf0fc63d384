import type { FileStat, PresentStat } from "./stat.js";
import type { Store } from "../types.js";

/**
 * What the writer cache holds for one store path: the store it last wrote, the stat after, and
 * the exact text that write put on disk (a content-checking freshness part compares with it).
 */
export type CacheEntry = { store: Store; stat: PresentStat; text: string };

export type Freshness =
  | { kind: "fresh" }
  | { kind: "stale"; reason: "missing_file" }
  | { kind: "stale"; reason: "stat_mismatch"; observed: PresentStat }
  /** Same `mtimeMs` and size as the entry, other content: only a check that reads the file says so. */
  | { kind: "stale"; reason: "content_mismatch"; observed: PresentStat };

/**
 * The freshness part: may a writer reuse `entry` given the live stat of the file? Swapping
 * this one function makes a store variant (a weaker check reproduces a historical bug).
 */
export type FreshnessCheck = (entry: CacheEntry, live: FileStat, storePath: string) => Freshness;

/** The contract's check: the cache is fresh while `mtimeMs` and size are both unchanged. */
export const mtimeAndSizeCheck: FreshnessCheck = (entry, live) => {
  if (live.kind === "missing") return { kind: "stale", reason: "missing_file" };
  if (live.mtimeMs === entry.stat.mtimeMs && live.size === entry.stat.size) return { kind: "fresh" };
  return { kind: "stale", reason: "stat_mismatch", observed: live };
};
