// A small session store that meets drift-harness's store contract: one JSON file, writers
// serialized per path by an in-process queue, a writer cache reused while the file's mtimeMs
// and size are unchanged, and a tripwire when they are not. `trustCache: true` makes the
// deliberately broken store (the writer skips the stat and trusts its cache).
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export function makeStore({ trustCache = false } = {}) {
  /** storePath -> { store, mtimeMs, size }: the store as this process last wrote it. */
  const cache = new Map();
  /** storePath -> the tail of its queue of writers. */
  const queues = new Map();
  let emitter = null;
  let checkpoint = null;

  function statOf(storePath) {
    try {
      const { mtimeMs, size } = statSync(storePath);
      return { mtimeMs, size };
    } catch (error) {
      if (error.code === "ENOENT") return null;
      throw error;
    }
  }

  function readStore(storePath) {
    let text;
    try {
      text = readFileSync(storePath, "utf8");
    } catch (error) {
      if (error.code === "ENOENT") return {};
      throw error;
    }
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`session store ${storePath} is unparseable (${error.message}); it was left untouched`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new Error(`session store ${storePath} is not a JSON object; it was left untouched`);
    }
    return value;
  }

  function warn(payload) {
    if (process.env.EXAMPLE_STORE_LOG) {
      try {
        console.warn(JSON.stringify({ level: "warn", subsystem: "sessions/store", ...payload }));
      } catch {}
    }
    try {
      emitter?.(payload);
    } catch {}
  }

  function loadForWriter(storePath) {
    const entry = cache.get(storePath);
    cache.delete(storePath);
    if (entry && trustCache) return entry.store;
    const live = statOf(storePath);
    if (entry) {
      if (live && live.mtimeMs === entry.mtimeMs && live.size === entry.size) return entry.store;
      warn({
        schemaVersion: 1,
        type: "session_store_cache_invalidated",
        reason: live ? "stat_mismatch" : "missing_file",
        storePath,
        observedMtime: live ? live.mtimeMs : null,
        expectedMtime: entry.mtimeMs,
        observedSize: live ? live.size : null,
        expectedSize: entry.size,
      });
    }
    return readStore(storePath);
  }

  async function writeTextAtomic(filePath, text, opts = {}) {
    const temp = join(
      dirname(filePath),
      `${opts.tempPrefix ?? basename(filePath)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
    );
    try {
      const fd = openSync(temp, "w", opts.mode ?? 0o600);
      try {
        writeSync(fd, text);
        if (opts.durable) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      await checkpoint?.("before-rename", filePath);
      renameSync(temp, filePath);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {}
      throw error;
    }
  }

  function runExclusiveSessionStoreWrite(storePath, task) {
    const key = resolve(storePath);
    const run = (queues.get(key) ?? Promise.resolve()).then(() => task());
    queues.set(
      key,
      run.then(
        () => undefined,
        () => undefined,
      ),
    );
    return run;
  }

  function updateSessionStore(storePathArg, mutator, opts = {}) {
    const storePath = resolve(storePathArg);
    return runExclusiveSessionStoreWrite(storePath, async () => {
      const store = loadForWriter(storePath);
      await checkpoint?.("after-load", storePath);
      const acp = new Map();
      for (const [key, entry] of Object.entries(store))
        if (entry?.acp != null) acp.set(key, structuredClone(entry.acp));
      const result = await mutator(store);
      const mayDrop = new Set(opts.allowDropAcpMetaSessionKeys ?? []);
      for (const [key, binding] of acp)
        if (store[key] && store[key].acp == null && !mayDrop.has(key)) store[key].acp = binding;
      await writeTextAtomic(storePath, `${JSON.stringify(store, null, 2)}\n`);
      const written = statOf(storePath);
      if (written) cache.set(storePath, { store: structuredClone(store), ...written });
      return result;
    });
  }

  function loadSessionStore(storePathArg, opts = {}) {
    const storePath = resolve(storePathArg);
    const entry = opts.skipCache ? undefined : cache.get(storePath);
    const live = entry ? statOf(storePath) : null;
    if (entry && live && live.mtimeMs === entry.mtimeMs && live.size === entry.size)
      return structuredClone(entry.store);
    return readStore(storePath);
  }

  return {
    updateSessionStore,
    loadSessionStore,
    writeTextAtomic,
    runExclusiveSessionStoreWrite,
    _setSessionStoreCacheInvalidatedEmitterForTest: (emit) => {
      emitter = emit;
    },
    _setSessionStoreWriterCheckpointForTest: (hook) => {
      checkpoint = hook;
    },
    clearSessionStoreCacheForTest: () => cache.clear(),
  };
}
