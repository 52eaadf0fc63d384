/**
 * Deliberately broken parts. Each reintroduces one real bug by replacing exactly one part of
 * the store (see src/create-store.ts); the properties must catch every one of them.
 */
import { open, rename, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { dirname, join, basename } from "node:path";
import { preserveFromLoadedStore, restoreAcp, snapshotAcp, type AcpPreservation } from "../src/acp-preserve.js";
import type { FreshnessCheck } from "../src/freshness/check.js";
import type { Persistence } from "../src/persistence/persistence.js";
import { atomicJsonPersistence } from "../src/persistence/persistence.js";
import { statFile } from "../src/freshness/stat.js";
import {
  parseStoreText,
  readStoreWithText,
  readTextOrNull,
  serializeStore,
  StoreParseError,
} from "../src/persistence/read-store.js";
import type { ExclusiveRunner } from "../src/queue/fifo-queue.js";
import { buildPayload, createTripwire, type Tripwire } from "../src/tripwire/tripwire.js";
import type { Logger } from "pino";

/** openclaw#9776: the cache compared only `mtimeMs`; a rewrite of another size in the same tick was served stale. */
export const mtimeOnlyCheck: FreshnessCheck = (entry, live) => {
  if (live.kind === "missing") return { kind: "stale", reason: "missing_file" };
  return live.mtimeMs === entry.stat.mtimeMs
    ? { kind: "fresh" }
    : { kind: "stale", reason: "stat_mismatch", observed: live };
};

/** openclaw#10331: the writer trusted its cache without checking the file at all. */
export const uncheckedCache: FreshnessCheck = () => ({ kind: "fresh" });

/** openclaw#79305: the guard reloaded silently; operators never learned the file had changed. */
export const silentTripwire = (): Tripwire => ({ report: () => undefined, setEmitter: () => undefined });

/** The payload's `observed*` and `expected*` swapped. */
export const swappedPayloadTripwire = (logger: () => Logger): Tripwire =>
  createTripwire({
    logger,
    build: (storePath, load) => {
      const payload = buildPayload(storePath, load);
      if (payload.reason !== "stat_mismatch") return payload;
      return {
        ...payload,
        observedMtime: payload.expectedMtime,
        expectedMtime: payload.observedMtime,
        observedSize: payload.expectedSize,
        expectedSize: payload.observedSize,
      };
    },
  });

/** Not fail-open: the emitter is called bare, so a throwing emitter aborts the write. */
export const failClosedTripwire = (logger: () => Logger): Tripwire => {
  let emitter: ((payload: ReturnType<typeof buildPayload>) => void) | null = null;
  return {
    setEmitter: (emit) => {
      emitter = emit;
    },
    report: (storePath, load) => {
      const payload = buildPayload(storePath, load);
      logger().warn({ payload }, "session_store_cache_invalidated");
      emitter?.(payload);
    },
  };
};

/** openclaw PR #81970: the ACP snapshot came from the stale cache, not from the reloaded store. */
export const staleAcpSnapshot: AcpPreservation = {
  snapshot: (loaded, load) =>
    load.kind === "invalidated" ? snapshotAcp(load.stale.store) : preserveFromLoadedStore.snapshot(loaded, load),
  restore: restoreAcp,
};

/** No queue: in-process writers run concurrently and overwrite each other. */
export const noQueue = (): ExclusiveRunner => (_key, task) => task();

/** openclaw#77783: a 0-byte or broken store read as `{}`, and the next write replaced it. */
export const lenientPersistence: Persistence = {
  ...atomicJsonPersistence,
  read: (storePath) => {
    const text = readTextOrNull(storePath);
    try {
      return { store: text === null ? {} : parseStoreText(storePath, text), text };
    } catch (error) {
      if (error instanceof StoreParseError) return { store: {}, text };
      throw error;
    }
  },
};

/**
 * electron-store#21: the store rewritten in place (truncate, write): a writer killed between the
 * two halves leaves a truncated file. The `before-rename` checkpoint falls between them.
 */
export const inPlacePersistence: Persistence = {
  read: readStoreWithText,
  async write(storePath, store, hooks) {
    const text = serializeStore(store);
    const handle = await open(storePath, "w");
    try {
      await handle.writeFile(text.slice(0, Math.floor(text.length / 2)));
      await hooks.beforeRename?.();
      await handle.writeFile(text.slice(Math.floor(text.length / 2)));
    } finally {
      await handle.close();
    }
    // No temp and no rename: the commit part has nothing to decide, the text is already there.
    return { kind: "landed", stat: statFile(storePath), text };
  },
};

/** openclaw#89520: temp files without the writer's pid: a dead writer's leftovers cannot be attributed. */
export const anonymousTempPersistence: Persistence = {
  read: readStoreWithText,
  async write(storePath, store, hooks) {
    const temp = join(dirname(storePath), `${basename(storePath)}.${randomBytes(6).toString("hex")}.tmp`);
    const text = serializeStore(store);
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    let renamed = false;
    try {
      await hooks.beforeRename?.();
      const outcome = await hooks.commit({
        temp: { path: temp, text },
        rename: async () => {
          await rename(temp, storePath);
          renamed = true;
        },
      });
      if (!renamed) await rm(temp, { force: true });
      return outcome;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  },
};
