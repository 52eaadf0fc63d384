import { resolve } from "node:path";
import type { Logger } from "pino";
import { preserveFromLoadedStore, type AcpPreservation } from "./acp-preserve.js";
import { mtimeAndSizeCheck, type FreshnessCheck } from "./freshness/check.js";
import { silentMiss, type FirstLoadCheck } from "./freshness/first-load.js";
import { statFile } from "./freshness/stat.js";
import { createWriterCache, type WriterCacheLoad } from "./freshness/writer-cache.js";
import { createSubsystemLogger } from "./logger.js";
import { renameAtOnce, type CommitOutcome, type CommitPart, type Seen } from "./persistence/commit.js";
import { atomicJsonPersistence, type Persistence } from "./persistence/persistence.js";
import { writeTextAtomic } from "./persistence/write-atomic.js";
import { createFifoQueue, type ExclusiveRunner } from "./queue/fifo-queue.js";
import { createTripwire, type Tripwire, type TripwireEmitter } from "./tripwire/tripwire.js";
import {
  LIMITATION_IDS,
  type CheckpointHook,
  type LimitationId,
  type LoadOptions,
  type Store,
  type UpdateOptions,
} from "./types.js";

/**
 * The replaceable parts of a store. A variant swaps exactly one of them; the hardened store
 * (src/hardened.ts) swaps three.
 */
export type StoreParts = {
  freshness: FreshnessCheck;
  queue: () => ExclusiveRunner;
  persistence: Persistence;
  acp: AcpPreservation;
  tripwire: (logger: () => Logger) => Tripwire;
  /** What a writer without a cache entry checks (default: nothing, a silent miss). */
  firstLoad: FirstLoadCheck;
  /** The rename at the end of a write (default: at once, unchecked), and how often a writer may retry it. */
  commit: CommitPart;
  knownLimitations: readonly LimitationId[];
};

export const defaultParts: StoreParts = {
  freshness: mtimeAndSizeCheck,
  queue: createFifoQueue,
  persistence: atomicJsonPersistence,
  acp: preserveFromLoadedStore,
  tripwire: (logger) => createTripwire({ logger }),
  firstLoad: silentMiss,
  commit: renameAtOnce,
  knownLimitations: LIMITATION_IDS,
};

/**
 * Assembles a session store from its parts. Every instance has its own cache, queue, emitter
 * and checkpoint hook.
 *
 * @example
 * const store = createSessionStore({ freshness: mtimeOnlyCheck }); // the #9776 bug, on purpose
 * await store.updateSessionStore("/tmp/s/sessions.json", (s) => { s.a = { sessionId: "a", updatedAt: 1 }; });
 */
export function createSessionStore(overrides: Partial<StoreParts> = {}) {
  const parts: StoreParts = { ...defaultParts, ...overrides };
  const cache = createWriterCache(parts.freshness);
  const runExclusive = parts.queue();
  let logger: Logger | undefined;
  const tripwire = parts.tripwire(() => (logger ??= createSubsystemLogger("sessions/store")));
  let checkpointHook: CheckpointHook | null = null;

  function loadForWriter(storePath: string): { store: Store; load: WriterCacheLoad; seen: Seen } {
    const live = statFile(storePath);
    const load = cache.tryTakeMutableSessionStoreCacheWithReason(storePath, live);
    if (load.kind === "hit") return { store: load.store, load, seen: { stat: live, text: load.text } };
    if (load.kind === "invalidated") tripwire.report(storePath, load);
    const { store, text } = parts.persistence.read(storePath);
    const seen: Seen = { stat: live, text };
    if (load.kind === "miss") {
      const signal = parts.firstLoad(storePath, seen);
      if (signal) tripwire.report(storePath, signal);
    }
    return { store, load, seen };
  }

  /** After a change before the rename: the file as it is now, for the mutator's next run. */
  function reloadForWriter(storePath: string): { store: Store; load: WriterCacheLoad; seen: Seen } {
    const stat = statFile(storePath);
    const { store, text } = parts.persistence.read(storePath);
    return { store, load: { kind: "miss" }, seen: { stat, text } };
  }

  /** Writes `store` through the commit part: what landed, or the change that stopped it. */
  function persist(storePath: string, store: Store, seen: Seen): Promise<CommitOutcome> {
    return parts.persistence.write(storePath, store, {
      beforeRename: () => checkpointHook?.("before-rename", storePath),
      commit: ({ temp, rename }) => parts.commit.commit({ storePath, seen, temp, rename }),
    });
  }

  async function updateSessionStore<T>(
    storePathArg: string,
    mutator: (store: Store) => T | Promise<T>,
    opts: UpdateOptions = {},
  ): Promise<T> {
    const storePath = resolve(storePathArg);
    return runExclusive(storePath, async () => {
      let loaded = loadForWriter(storePath);
      await checkpointHook?.("after-load", storePath);
      for (let attempt = 1; ; attempt++) {
        const { store, load, seen } = loaded;
        const acpSnapshot = parts.acp.snapshot(store, load);
        const result = await mutator(store);
        parts.acp.restore(store, acpSnapshot, new Set(opts.allowDropAcpMetaSessionKeys ?? []));
        const outcome = await persist(storePath, store, seen);
        if (outcome.kind === "changed") {
          // Only a commit part that re-checks gets here (the temp is already gone): signal the
          // change, then run the mutator again on the file as it is now.
          tripwire.report(storePath, outcome.signal);
          if (attempt >= parts.commit.maxAttempts) {
            throw new Error(
              `session store ${storePath} changed between the writer's load and its rename, ${attempt} times in a row; the write was given up`,
            );
          }
          loaded = reloadForWriter(storePath);
          continue;
        }
        if (outcome.stat.kind === "present") cache.record(storePath, store, outcome.stat, outcome.text);
        return result;
      }
    });
  }

  function loadSessionStore(storePathArg: string, opts: LoadOptions = {}): Store {
    const storePath = resolve(storePathArg);
    const cached = opts.skipCache ? undefined : cache.peekFresh(storePath, statFile(storePath));
    return cached ? structuredClone(cached) : parts.persistence.read(storePath).store;
  }

  return {
    updateSessionStore,
    loadSessionStore,
    writeTextAtomic: (filePath: string, text: string, opts?: Parameters<typeof writeTextAtomic>[2]) =>
      writeTextAtomic(filePath, text, opts),
    runExclusiveSessionStoreWrite: <T>(storePath: string, task: () => Promise<T>) =>
      runExclusive(resolve(storePath), task),
    _setSessionStoreCacheInvalidatedEmitterForTest: (emit: TripwireEmitter | null) => tripwire.setEmitter(emit),
    _setSessionStoreWriterCheckpointForTest: (hook: CheckpointHook | null) => {
      checkpointHook = hook;
    },
    clearSessionStoreCacheForTest: () => cache.clear(),
    takeMutableSessionStoreCache: cache.takeMutableSessionStoreCache,
    knownLimitations: parts.knownLimitations,
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
