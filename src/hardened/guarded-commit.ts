import { statSync } from "node:fs";
import { statFile } from "../freshness/stat.js";
import { FileChangedBeforeRename, type CommitPart } from "../persistence/commit.js";
import { readVersioned, sameStoreContent, statPair, versionNow } from "./disk-text.js";
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
 * Unchanged, and still the same version of the file (inode, size, mtime and ctime) by a stat
 * taken just before the rename: it renames.
 *
 * The lock makes re-check + rename atomic against every gateway of the store. A process that
 * takes no lock can still land a change between that last stat and the rename (two syscalls
 * apart) and lose it; see docs/hardened.md.
 */
export function guardedCommit(options: GuardedCommitOptions = {}): CommitPart {
  const sweep = throttledSweeper(options.sweepEveryMs ?? 60_000);
  return async ({ storePath, seen, temp, rename }) => {
    if (seen.text === undefined) throw new Error("guardedCommit needs a persistence part with readWithText (what the writer loaded)");
    const loaded = seen.text;
    // Outside the lock, which is held only for what must be atomic: the hash grows with the store.
    const pending = recordFor(temp, statSync(temp.path));
    const committed = await withStoreLock(storePath, options.lock ?? {}, async () => {
      // The fingerprint first, so that the last look at the file is as close to the rename as
      // can be: the text, then one stat of the path just before the rename (a crash in between
      // leaves a pending write whose temp still exists: never taken for a landed one).
      const previous = readFingerprint(storePath);
      writeFingerprint(storePath, { landed: lastLanded(storePath, previous), pending });
      const now = readVersioned(storePath);
      const changedAgain = () => versionNow(storePath) !== now.version;
      if (!sameStoreContent(loaded, now.text) || changedAgain()) {
        restoreFingerprint(storePath, previous);
        throw new FileChangedBeforeRename(storePath, { kind: "changed", reason: "changed_before_rename", expected: statPair(seen.stat), observed: statPair(statFile(storePath)) });
      }
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
