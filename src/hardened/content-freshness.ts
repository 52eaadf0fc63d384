import { mtimeAndSizeCheck, type FreshnessCheck } from "../freshness/check.js";
import { readTextOrNull } from "../persistence/read-store.js";
import { sameStoreContent } from "./disk-text.js";

/**
 * Closes coarse-mtime. A matching `mtimeMs` and size never prove the file unchanged: on a
 * coarse clock (FAT's 2 s, SMB/NFS, a forged mtime) a same-size rewrite keeps both. The inode
 * and ctime do not prove it either: an in-place rewrite keeps the inode, and ctime is as coarse
 * as the clock that stamps it (git's racy-git problem: a stat taken in the same tick as the
 * write it describes can never be trusted). A writer's own entry is always that racy when the
 * next write follows within the granularity, so the check reads the file whenever the stat
 * matches and compares it with the text the entry's write put there. A differing stat is stale
 * as in the contract, without reading.
 */
export const contentCheckedFreshness: FreshnessCheck = (entry, live, storePath) => {
  const byStat = mtimeAndSizeCheck(entry, live, storePath);
  if (byStat.kind !== "fresh" || live.kind !== "present") return byStat;
  const text = readTextOrNull(storePath);
  if (text === null) return { kind: "stale", reason: "missing_file" };
  return sameStoreContent(entry.text, text)
    ? { kind: "fresh" }
    : { kind: "stale", reason: "content_mismatch", observed: live };
};
