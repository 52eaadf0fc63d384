import lockfile from "proper-lockfile";

export type StoreLockOptions = {
  /**
   * A lock whose holder stopped refreshing it (killed, frozen) is taken over after this long.
   * proper-lockfile's floor is 2000 ms; a holder refreshes it every staleMs / 2 (≥ 1 s).
   */
  staleMs?: number;
};

export const DEFAULT_STALE_MS = 5_000;
export const lockPathFor = (storePath: string): string => `${storePath}.lock`;

/**
 * Runs `task` holding the store's cross-process lock (`<store>.lock`, a directory: mkdir is
 * atomic on every local and network file system, and proper-lockfile keeps its mtime fresh).
 * Only the commit holds it, for a re-read, a fingerprint write and a rename: never across a
 * checkpoint or a mutator, so a held or slow writer never blocks another gateway. A holder
 * killed with SIGKILL leaves the directory; others take it over once it is `staleMs` old and
 * wait at most three times that before the write fails (the store untouched).
 */
export async function withStoreLock<T>(
  storePath: string,
  options: StoreLockOptions,
  task: () => Promise<T>,
): Promise<T> {
  const release = await acquire(storePath, options.staleMs ?? DEFAULT_STALE_MS);
  try {
    return await task();
  } finally {
    try {
      release();
    } catch {
      // Already gone (taken over as stale): nothing of ours to remove.
    }
  }
}

/**
 * Tries proper-lockfile's synchronous lock (mkdir, and the stale check, without a thread-pool
 * round trip per call, which costs a good part of a whole write: README, "Benchmarks"), and
 * between tries waits without blocking, with a capped, jittered backoff (0.25 ms doubling to
 * 4 ms: the lock is held only for a re-read, a fingerprint write and a rename). Our own loop
 * also because `retries` makes the `retry` package precompute every timeout on each call.
 */
async function acquire(storePath: string, staleMs: number): Promise<() => void> {
  const giveUpAt = Date.now() + 3 * staleMs;
  for (let delay = 0.25; ; delay = Math.min(4, delay * 2)) {
    try {
      return lockfile.lockSync(storePath, {
        lockfilePath: lockPathFor(storePath),
        realpath: false,
        stale: staleMs,
        // Held for a millisecond or so; proper-lockfile's default throws from a timer, which
        // would kill the gateway. Compromised means a holder frozen longer than staleMs; its
        // re-check already ran, so its rename goes ahead (docs/hardened.md).
        onCompromised: () => undefined,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || Date.now() >= giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    }
  }
}
