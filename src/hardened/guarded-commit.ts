import { statSync } from "node:fs";
import { statFile, statPair } from "../freshness/stat.js";
import type { CommitOutcome, CommitPart } from "../persistence/commit.js";
import { readVersioned, sameStoreContent, versionNow } from "./disk-text.js";
import { lastLanded, readFingerprint, recordFor, restoreFingerprint, writeFingerprint } from "./fingerprint.js";
import { withStoreLock, type StoreLockOptions } from "./store-lock.js";
import { throttledSweeper } from "./sweep-temps.js";

export type GuardedCommitOptions = {
  lock?: StoreLockOptions;
  /** How often (at most) a process sweeps dead writers' temps after a write; default 60 s. */
  sweepEveryMs?: number;
  /** A writer whose file keeps changing under it gives up after this many attempts; default 8. */
  maxAttempts?: number;
};

/** The default of `GuardedCommitOptions.maxAttempts`. */
export const MAX_WRITE_ATTEMPTS = 8;

/**
 * Closes mid-flight-drift, and keeps the fingerprint. After the `before-rename` checkpoint
 * (where a test holds the writer, and where a slow writer spends its time) and under the store
 * lock, the commit re-reads the file and compares it with what the writer loaded. Changed: it
 * says so (`changed`) and the writer runs its mutator again on the file as it is now.
 * Unchanged, and still the same version of the file (inode, size, mtime and ctime) by a stat
 * taken just before the rename: it renames.
 *
 * The lock makes re-check + rename atomic against every gateway of the store. A process that
 * takes no lock can still land a change between that last stat and the rename (two syscalls
 * apart) and lose it; see docs/hardened.md.
 */
export function guardedCommit(options: GuardedCommitOptions = {}): CommitPart {
  const sweep = throttledSweeper(options.sweepEveryMs ?? 60_000);
  const commit = async ({
    storePath,
    seen,
    temp,
    rename,
  }: Parameters<CommitPart["commit"]>[0]): Promise<CommitOutcome> => {
    const loaded = seen.text;
    // Outside the lock, which is held only for what must be atomic: the hash grows with the store.
    const pending = recordFor(temp, statSync(temp.path));
    const outcome = await withStoreLock(storePath, options.lock ?? {}, async (): Promise<CommitOutcome> => {
      // The fingerprint first, so that the last look at the file is as close to the rename as
      // can be: the text, then one stat of the path just before the rename (a crash in between
      // leaves a pending write whose temp still exists: never taken for a landed one).
      const previous = readFingerprint(storePath);
      writeFingerprint(storePath, { landed: lastLanded(storePath, previous), pending });
      const now = readVersioned(storePath);
      const changedAgain = () => versionNow(storePath) !== now.version;
      if (!sameStoreContent(loaded, now.text) || changedAgain()) {
        restoreFingerprint(storePath, previous);
        return {
          kind: "changed",
          signal: {
            kind: "changed",
            reason: "changed_before_rename",
            expected: statPair(seen.stat),
            observed: statPair(statFile(storePath)),
          },
        };
      }
      try {
        await rename();
      } catch (error) {
        restoreFingerprint(storePath, previous);
        throw error;
      }
      return { kind: "landed", stat: statFile(storePath), text: temp.text };
    });
    if (outcome.kind === "landed") sweep(storePath);
    return outcome;
  };
  return { commit, maxAttempts: options.maxAttempts ?? MAX_WRITE_ATTEMPTS };
}
