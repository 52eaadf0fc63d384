import { resolve } from "node:path";
import type { Logger } from "pino";
import { preserveFromLoadedStore, type AcpPreservation } from "./acp-preserve.js";
import { mtimeAndSizeCheck, type FreshnessCheck } from "./freshness/check.js";
import { statFile } from "./freshness/stat.js";
import { createWriterCache, type WriterCacheLoad } from "./freshness/writer-cache.js";
import { createSubsystemLogger } from "./logger.js";
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

/** The replaceable parts of a store. A variant swaps exactly one of them. */
export type StoreParts = {
  freshness: FreshnessCheck;
  queue: () => ExclusiveRunner;
  persistence: Persistence;
  acp: AcpPreservation;
  tripwire: (logger: () => Logger) => Tripwire;
  knownLimitations: readonly LimitationId[];
};

export const defaultParts: StoreParts = {
  freshness: mtimeAndSizeCheck,
  queue: createFifoQueue,
  persistence: atomicJsonPersistence,
  acp: preserveFromLoadedStore,
  tripwire: (logger) => createTripwire({ logger }),
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

  function loadMutableSessionStoreForWriter(storePath: string): { store: Store; load: WriterCacheLoad } {
    const live = statFile(storePath);
    const load = cache.tryTakeMutableSessionStoreCacheWithReason(storePath, live);
    if (load.kind === "hit") return { store: load.store, load };
    if (load.kind === "invalidated") tripwire.report(storePath, load);
    return { store: parts.persistence.read(storePath), load };
  }

  async function updateSessionStore<T>(
    storePathArg: string,
    mutator: (store: Store) => T | Promise<T>,
    opts: UpdateOptions = {},
  ): Promise<T> {
    const storePath = resolve(storePathArg);
    return runExclusive(storePath, async () => {
      const { store, load } = loadMutableSessionStoreForWriter(storePath);
      await checkpointHook?.("after-load", storePath);
      const acpSnapshot = parts.acp.snapshot(store, load);
      const result = await mutator(store);
      parts.acp.restore(store, acpSnapshot, new Set(opts.allowDropAcpMetaSessionKeys ?? []));
      await parts.persistence.write(storePath, store, {
        beforeRename: () => checkpointHook?.("before-rename", storePath),
      });
      const written = statFile(storePath);
      if (written.kind === "present") cache.record(storePath, store, written);
      return result;
    });
  }

  function loadSessionStore(storePathArg: string, opts: LoadOptions = {}): Store {
    const storePath = resolve(storePathArg);
    const cached = opts.skipCache ? undefined : cache.peekFresh(storePath, statFile(storePath));
    return cached ? structuredClone(cached) : parts.persistence.read(storePath);
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
    loadMutableSessionStoreForWriter,
    knownLimitations: parts.knownLimitations,
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
