import { statSync } from "node:fs";
import { statFile } from "../freshness/stat.js";
import { FileChangedBeforeRename, type CommitPart } from "../persistence/commit.js";
import { readSeen, sameStoreContent, statPair } from "./disk-text.js";
import { lastLanded, readFingerprint, recordFor, restoreFingerprint, writeFingerprint } from "./fingerprint.js";
import { withStoreLock, type StoreLockOptions } from "./store-lock.js";
import { throttledSweeper } from "./sweep-temps.js";

export type GuardedCommitOptions = {
  lock?: StoreLockOptions;
  /** How often (at most) a process sweeps dead writers' temps after a write; default 60 s. */
  sweepEveryMs?: number;
};

/**
 * Closes mid-flight-drift, and keeps the fingerprint. After the `before-rename` checkpoint
 * (where a test holds the writer, and where a slow writer spends its time) and under the store
 * lock, the commit re-reads the file and compares it with what the writer loaded. Changed: it
 * throws FileChangedBeforeRename and the writer runs its mutator again on the file as it is now.
 * Unchanged: it records the fingerprint, then renames.
 *
 * The lock makes re-check + rename atomic against every gateway of the store. A process that
 * takes no lock can still land a change between the start of the re-read and the rename (≈ 0.2
 * ms for a small store, ≈ 2 ms at 10 000 entries: the read and the rename itself) and lose it;
 * see docs/hardened.md.
 */
export function guardedCommit(options: GuardedCommitOptions = {}): CommitPart {
  const sweep = throttledSweeper(options.sweepEveryMs ?? 60_000);
  return async ({ storePath, seen, temp, rename }) => {
    if (seen.text === undefined) throw new Error("guardedCommit needs a persistence part with readWithText (what the writer loaded)");
    const loaded = seen.text;
    // Outside the lock, which is held only for what must be atomic: the hash grows with the store.
    const pending = recordFor(temp, statSync(temp.path));
    const committed = await withStoreLock(storePath, options.lock ?? {}, async () => {
      const now = readSeen(storePath);
      if (!sameStoreContent(loaded, now.text)) {
        throw new FileChangedBeforeRename(storePath, { kind: "changed", reason: "changed_before_rename", expected: statPair(seen.stat), observed: statPair(now.stat) });
      }
      const previous = readFingerprint(storePath);
      writeFingerprint(storePath, { landed: lastLanded(storePath, previous), pending });
      try {
        await rename();
      } catch (error) {
        restoreFingerprint(storePath, previous);
        throw error;
      }
      return { stat: statFile(storePath), text: temp.text };
    });
    sweep(storePath);
    return committed.stat.kind === "present" ? { stat: committed.stat, text: committed.text } : undefined;
  };
}
