import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createSessionStore, type SessionStore } from "../../src/create-store.js";
import { writeTextAtomic, writeTextCommitted } from "../../src/persistence/write-atomic.js";
import type { SessionStoreCacheInvalidated } from "../../src/tripwire/payload.js";
import type { Checkpoint } from "../../src/types.js";
import {
  entry,
  gate,
  missingPayload,
  pinTempMtimes,
  readStore,
  stalePayload,
  statOf,
  tempFilesIn,
  useTempDir,
} from "./helpers.js";

const tmpDir = useTempDir();

let store: SessionStore;
let emitted: SessionStoreCacheInvalidated[];
let path: string;

beforeEach(() => {
  store = createSessionStore();
  emitted = [];
  store._setSessionStoreCacheInvalidatedEmitterForTest((p) => void emitted.push(p));
  path = join(tmpDir(), "sessions.json");
});

/** An edit by someone else: another process's atomic write of the file with `key` added. */
async function externalAdd(key: string, extra: Record<string, unknown> = {}): Promise<void> {
  const current = readStore(path);
  current[key] = entry(key, extra);
  await writeTextAtomic(path, JSON.stringify(current));
}

const add = (key: string) => (s: Record<string, unknown>) => void (s[key] = entry(key));

describe("load", () => {
  it("a miss reads the file from disk and emits nothing", async () => {
    writeFileSync(path, JSON.stringify({ old: entry("old") }));
    await store.updateSessionStore(path, add("a"));
    expect(readStore(path)).toEqual({ old: entry("old"), a: entry("a") });
    expect(emitted).toEqual([]);
  });

  it("a miss on a missing file starts from {}", async () => {
    await store.updateSessionStore(path, add("a"));
    expect(readStore(path)).toEqual({ a: entry("a") });
    expect(emitted).toEqual([]);
  });

  it("a hit reuses the cached store and emits nothing", async () => {
    await store.updateSessionStore(path, add("a"));
    await store.updateSessionStore(path, add("b"));
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
    expect(emitted).toEqual([]);
  });

  it("an external atomic write invalidates: one payload with the real stats, then the disk is used", async () => {
    await store.updateSessionStore(path, add("a"));
    const expected = statOf(path);
    const other = createSessionStore();
    await other.writeTextAtomic(path, JSON.stringify({ a: entry("a"), x: entry("x") }));
    const observed = statOf(path);

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([stalePayload(path, expected, observed)]);
    expect(readStore(path)).toEqual({ a: entry("a"), x: entry("x"), b: entry("b") });
    // The reload was recorded: the next write is a hit again.
    await store.updateSessionStore(path, add("c"));
    expect(emitted).toHaveLength(1);
  });

  it("an in-place rewrite of the same size is caught by its mtime", async () => {
    await store.updateSessionStore(path, add("a"));
    const expected = statOf(path);
    writeFileSync(path, readFileSync(path, "utf8").replace('"a"', '"z"').replace('"a"', '"z"'));
    const observed = statOf(path);
    expect(observed.size).toBe(expected.size);

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([stalePayload(path, expected, observed)]);
    expect(readStore(path)).toEqual({ z: entry("z"), b: entry("b") });
  });

  it("a deleted store reports missing_file and is recreated from {} plus the mutation", async () => {
    await store.updateSessionStore(path, add("a"));
    const expected = statOf(path);
    rmSync(path);

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([missingPayload(path, expected)]);
    expect(readStore(path)).toEqual({ b: entry("b") });
  });

  it("resolves a relative storePath to an absolute one in the payload", async () => {
    const rel = relative(process.cwd(), path);
    expect(rel.startsWith("/")).toBe(false);
    await store.updateSessionStore(rel, add("a"));
    const expected = statOf(path);
    await externalAdd("x");
    const observed = statOf(path);

    await store.updateSessionStore(rel, add("b"));

    expect(emitted).toEqual([stalePayload(path, expected, observed)]);
  });

  it("after clearSessionStoreCacheForTest the next load is a miss", async () => {
    await store.updateSessionStore(path, add("a"));
    store.clearSessionStoreCacheForTest();
    await externalAdd("x");
    await store.updateSessionStore(path, add("b"));
    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), x: entry("x"), b: entry("b") });
  });
});

describe("checkpoints", () => {
  it("awaits the hook at after-load, then before-rename, with the absolute path", async () => {
    // The mutator's turn is recorded beside the checkpoints: the order proves it ran between them.
    const seen: Array<[Checkpoint | "mutator", string]> = [];
    const reached = { "after-load": gate(), "before-rename": gate() };
    const release = { "after-load": gate(), "before-rename": gate() };
    store._setSessionStoreWriterCheckpointForTest((checkpoint, storePath) => {
      seen.push([checkpoint, storePath]);
      reached[checkpoint].open();
      return release[checkpoint].promise;
    });

    const writing = store.updateSessionStore(relative(process.cwd(), path), () => {
      seen.push(["mutator", path]);
    });
    await reached["after-load"].promise;

    release["after-load"].open();
    await reached["before-rename"].promise;
    expect(seen).toEqual([
      ["after-load", path],
      ["mutator", path],
      ["before-rename", path],
    ]);
    // Held before the rename: the temp is fully written, the store not yet there.
    expect(tempFilesIn(tmpDir())).toHaveLength(1);
    expect(() => statOf(path)).toThrow();

    release["before-rename"].open();
    await writing;
    expect(readStore(path)).toEqual({});
    expect(tempFilesIn(tmpDir())).toEqual([]);
  });

  it("mid-flight-drift: an external write while the writer is held after load is overwritten, unsignalled", async () => {
    await store.updateSessionStore(path, add("a"));
    const reached = gate();
    const held = gate();
    store._setSessionStoreWriterCheckpointForTest((checkpoint) => {
      if (checkpoint !== "after-load") return undefined;
      reached.open();
      return held.promise;
    });

    const writing = store.updateSessionStore(path, add("b"));
    await reached.promise;
    await externalAdd("x");
    held.open();
    await writing;

    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
    // The writer recorded its own stat, so even the next writer sees nothing wrong.
    store._setSessionStoreWriterCheckpointForTest(null);
    await store.updateSessionStore(path, add("c"));
    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b"), c: entry("c") });
  });

  it("coarse-mtime: a same-size change under an unchanged mtime uses the stale cache, unsignalled", async () => {
    store._setSessionStoreWriterCheckpointForTest((checkpoint) => {
      if (checkpoint === "before-rename") pinTempMtimes(tmpDir(), 1_700_000_000);
    });
    await store.updateSessionStore(path, add("a"));
    store._setSessionStoreWriterCheckpointForTest(null);
    const recorded = statOf(path);
    expect(recorded.mtimeMs).toBe(1_700_000_000_000);

    await writeTextCommitted(
      path,
      `${JSON.stringify({ z: entry("z") }, null, 2)}\n`,
      {},
      {
        beforeRename: () => pinTempMtimes(tmpDir(), 1_700_000_000),
        commit: ({ rename }) => rename(),
      },
    );
    expect(statOf(path)).toEqual(recorded);

    await store.updateSessionStore(path, add("b"));
    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
  });
});

describe("ACP preservation", () => {
  const bound = { backend: "acpx", agent: "codex", state: "bound" };

  it("restores acp stripped by the mutator, except for allowDropAcpMetaSessionKeys", async () => {
    await store.updateSessionStore(path, (s) => {
      s.keep = entry("keep", { acp: bound });
      s.drop = entry("drop", { acp: bound });
      s.gone = entry("gone", { acp: bound });
    });
    await store.updateSessionStore(
      path,
      (s) => {
        s.keep = entry("keep", { updatedAt: 2 });
        s.drop = entry("drop", { updatedAt: 2 });
        delete s.gone;
      },
      { allowDropAcpMetaSessionKeys: ["drop"] },
    );
    expect(readStore(path)).toEqual({
      keep: entry("keep", { updatedAt: 2, acp: bound }),
      drop: entry("drop", { updatedAt: 2 }),
    });
  });
});

describe("unparseable store files", () => {
  const cases: Array<[string, string, string]> = [
    ["invalid JSON", '{"a": {"sessionId": ', "invalid JSON"],
    ["a 0-byte file", "", "empty"],
    ["a JSON array", "[1,2]", "array"],
    ["JSON null", "null", "null"],
    ["a JSON number", "42", "number"],
  ];

  it.each(cases)("%s: the writer and readers throw, the file stays byte for byte", async (_name, text, problem) => {
    writeFileSync(path, text);
    const before = readFileSync(path);
    let mutatorRan = false;

    const failure = store.updateSessionStore(path, () => {
      mutatorRan = true;
    });
    await expect(failure).rejects.toThrow(path);
    await expect(failure).rejects.toThrow(problem);
    expect(() => store.loadSessionStore(path)).toThrow(problem);
    expect(() => store.loadSessionStore(path, { skipCache: true })).toThrow(path);

    expect(mutatorRan).toBe(false);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(tempFilesIn(tmpDir())).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it("a store broken after a write is reported by the tripwire, then refused", async () => {
    await store.updateSessionStore(path, add("a"));
    const expected = statOf(path);
    writeFileSync(path, "{ broken");
    const observed = statOf(path);

    await expect(store.updateSessionStore(path, add("b"))).rejects.toThrow("invalid JSON");

    expect(emitted).toEqual([stalePayload(path, expected, observed)]);
    expect(readFileSync(path, "utf8")).toBe("{ broken");
  });
});

describe("failures", () => {
  it("a throwing mutator: the error reaches the caller, no cache is kept, the queue goes on", async () => {
    await store.updateSessionStore(path, add("a"));
    const boom = new Error("mutator failed");
    const failing = store.updateSessionStore(path, (s) => {
      s.half = entry("half");
      throw boom;
    });
    const next = store.updateSessionStore(path, (s) => Object.keys(s));

    await expect(failing).rejects.toBe(boom);
    // Ran right behind the failure: a miss reading the untouched file, without the half-done edit.
    await expect(next).resolves.toEqual(["a"]);
    expect(emitted).toEqual([]);
  });

  it("after a throwing mutator the next load is a miss even if the file changed", async () => {
    await store.updateSessionStore(path, add("a"));
    await expect(store.updateSessionStore(path, () => Promise.reject(new Error("async failure")))).rejects.toThrow(
      "async failure",
    );
    await externalAdd("x");
    await store.updateSessionStore(path, add("b"));
    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), x: entry("x"), b: entry("b") });
  });

  it("a failing write: the error reaches the caller, the file and directory are untouched, no cache is kept", async () => {
    await store.updateSessionStore(path, add("a"));
    const before = readFileSync(path);
    const boom = new Error("disk full");
    store._setSessionStoreWriterCheckpointForTest((checkpoint) => {
      if (checkpoint === "before-rename") throw boom;
    });

    await expect(store.updateSessionStore(path, add("b"))).rejects.toBe(boom);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(tempFilesIn(tmpDir())).toEqual([]);

    store._setSessionStoreWriterCheckpointForTest(null);
    await externalAdd("x");
    await store.updateSessionStore(path, add("c"));
    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), x: entry("x"), c: entry("c") });
  });
});

describe("loadSessionStore", () => {
  it("never emits, and does not take the writer's cache entry", async () => {
    await store.updateSessionStore(path, add("a"));
    const expected = statOf(path);
    await externalAdd("x");
    const observed = statOf(path);

    expect(store.loadSessionStore(path)).toEqual({ a: entry("a"), x: entry("x") });
    expect(emitted).toEqual([]);

    await store.updateSessionStore(path, add("b"));
    expect(emitted).toEqual([stalePayload(path, expected, observed)]);
  });

  it("does not record a cache entry: a writer after a reader is still a miss", async () => {
    writeFileSync(path, JSON.stringify({ old: entry("old") }));
    expect(store.loadSessionStore(path)).toEqual({ old: entry("old") });
    await externalAdd("x");
    await store.updateSessionStore(path, add("a"));
    expect(emitted).toEqual([]);
  });

  it("returns clones: mutating a result does not change later reads", async () => {
    await store.updateSessionStore(path, add("a"));
    const fromCache = store.loadSessionStore(path);
    fromCache.a!.updatedAt = 99;
    delete fromCache.a;
    const fromDisk = store.loadSessionStore(path, { skipCache: true });
    fromDisk.injected = entry("injected");

    expect(store.loadSessionStore(path)).toEqual({ a: entry("a") });
    expect(store.loadSessionStore(path, { skipCache: true })).toEqual({ a: entry("a") });
    await store.updateSessionStore(path, add("b"));
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
  });

  it("uses the cache only while fresh; skipCache reads the disk", async () => {
    // A same-stat external change (see coarse-mtime) is the only way to tell cache from disk.
    store._setSessionStoreWriterCheckpointForTest(() => pinTempMtimes(tmpDir(), 1_700_000_000));
    await store.updateSessionStore(path, add("a"));
    await writeTextCommitted(
      path,
      `${JSON.stringify({ z: entry("z") }, null, 2)}\n`,
      {},
      {
        beforeRename: () => pinTempMtimes(tmpDir(), 1_700_000_000),
        commit: ({ rename }) => rename(),
      },
    );

    expect(store.loadSessionStore(path)).toEqual({ a: entry("a") });
    expect(store.loadSessionStore(path, { skipCache: true })).toEqual({ z: entry("z") });
    expect(emitted).toEqual([]);
  });

  it("reads a missing file as {}", () => {
    expect(store.loadSessionStore(path)).toEqual({});
  });
});

describe("runExclusiveSessionStoreWrite", () => {
  it("shares the per-path queue with updateSessionStore", async () => {
    const held = gate();
    const log: string[] = [];
    const exclusive = store.runExclusiveSessionStoreWrite(relative(process.cwd(), path), async () => {
      log.push("exclusive start");
      await held.promise;
      log.push("exclusive end");
      return "done";
    });
    const update = store.updateSessionStore(path, (s) => {
      log.push("mutator");
      add("a")(s);
    });
    const otherPath = store.updateSessionStore(join(tmpDir(), "other.json"), () => void log.push("other path"));

    await otherPath;
    expect(log).toEqual(["exclusive start", "other path"]);
    held.open();
    await expect(exclusive).resolves.toBe("done");
    await update;
    expect(log).toEqual(["exclusive start", "other path", "exclusive end", "mutator"]);
    expect(readStore(path)).toEqual({ a: entry("a") });
  });
});
