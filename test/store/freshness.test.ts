import { statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mtimeAndSizeCheck, type CacheEntry } from "../../src/freshness/check.js";
import { statFile, type PresentStat } from "../../src/freshness/stat.js";
import { createWriterCache } from "../../src/freshness/writer-cache.js";
import { entry, useTempDir } from "./helpers.js";

const tmpDir = useTempDir();

const PATH = "/stores/sessions.json";
const recorded: PresentStat = { kind: "present", mtimeMs: 1795564808631.4177, size: 388, ino: 7 };
const cacheEntry: CacheEntry = { store: { a: entry("a") }, stat: recorded, text: "{}\n" };

describe("mtimeAndSizeCheck", () => {
  it("is fresh while mtime and size both match, whatever the inode", () => {
    expect(mtimeAndSizeCheck(cacheEntry, { ...recorded, ino: 99 }, PATH)).toEqual({ kind: "fresh" });
  });

  it("is stale (stat_mismatch) when only the mtime changed", () => {
    const live: PresentStat = { ...recorded, mtimeMs: recorded.mtimeMs + 0.001 };
    expect(mtimeAndSizeCheck(cacheEntry, live, PATH)).toEqual({
      kind: "stale",
      reason: "stat_mismatch",
      observed: live,
    });
  });

  it("is stale (stat_mismatch) when only the size changed", () => {
    const live: PresentStat = { ...recorded, size: 389 };
    expect(mtimeAndSizeCheck(cacheEntry, live, PATH)).toEqual({
      kind: "stale",
      reason: "stat_mismatch",
      observed: live,
    });
  });

  it("is stale (missing_file) when the file is gone", () => {
    expect(mtimeAndSizeCheck(cacheEntry, { kind: "missing" }, PATH)).toEqual({ kind: "stale", reason: "missing_file" });
  });
});

describe("statFile", () => {
  it("reports exactly Node's mtimeMs, size and ino", () => {
    const path = join(tmpDir(), "sessions.json");
    writeFileSync(path, "12345");
    const s = statSync(path);
    expect(statFile(path)).toEqual({ kind: "present", mtimeMs: s.mtimeMs, size: 5, ino: s.ino });
  });

  it("reports a missing file, and a path through a regular file, as missing", () => {
    const file = join(tmpDir(), "file");
    writeFileSync(file, "");
    expect(statFile(join(tmpDir(), "absent.json"))).toEqual({ kind: "missing" });
    expect(statFile(join(file, "below.json"))).toEqual({ kind: "missing" });
  });

  it("rethrows errors other than not-found (a symlink loop)", () => {
    const loop = join(tmpDir(), "loop.json");
    symlinkSync(loop, loop);
    expect(() => statFile(loop)).toThrow(expect.objectContaining({ code: "ELOOP" }));
  });
});

describe("createWriterCache", () => {
  it("misses when it holds nothing for the path", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, recorded)).toEqual({ kind: "miss" });
  });

  it("hits with the recorded store object while the stat matches", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    const store = { a: entry("a") };
    cache.record(PATH, store, recorded, "{}\n");
    const load = cache.tryTakeMutableSessionStoreCacheWithReason(PATH, { ...recorded });
    expect(load.kind).toBe("hit");
    expect(load.kind === "hit" && load.store).toBe(store);
  });

  it("is invalidated with the exact expected and observed stat", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    cache.record(PATH, cacheEntry.store, recorded, "{}\n");
    const live: PresentStat = { kind: "present", mtimeMs: 1795564808634.0427, size: 412, ino: 8 };
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, live)).toEqual({
      kind: "invalidated",
      reason: "stat_mismatch",
      expected: { mtimeMs: 1795564808631.4177, size: 388 },
      observed: { mtimeMs: 1795564808634.0427, size: 412 },
      stale: { store: cacheEntry.store, stat: recorded, text: "{}\n" },
    });
  });

  it("is invalidated as missing_file with a null observed stat", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    cache.record(PATH, cacheEntry.store, recorded, "{}\n");
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, { kind: "missing" })).toEqual({
      kind: "invalidated",
      reason: "missing_file",
      expected: { mtimeMs: 1795564808631.4177, size: 388 },
      observed: null,
      stale: { store: cacheEntry.store, stat: recorded, text: "{}\n" },
    });
  });

  it("takes the entry: the second take is a miss, after a hit and after an invalidation", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    cache.record(PATH, {}, recorded, "{}\n");
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, recorded).kind).toBe("hit");
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, recorded)).toEqual({ kind: "miss" });

    cache.record(PATH, {}, recorded, "{}\n");
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, { kind: "missing" }).kind).toBe("invalidated");
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, { kind: "missing" })).toEqual({ kind: "miss" });
  });

  it("keeps one entry per path", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    cache.record("/a.json", { a: entry("a") }, recorded, "{}\n");
    expect(cache.tryTakeMutableSessionStoreCacheWithReason("/b.json", recorded)).toEqual({ kind: "miss" });
    expect(cache.tryTakeMutableSessionStoreCacheWithReason("/a.json", recorded).kind).toBe("hit");
  });

  it("peekFresh returns the store only while fresh, and never takes it", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    const store = { a: entry("a") };
    cache.record(PATH, store, recorded, "{}\n");
    expect(cache.peekFresh(PATH, { kind: "missing" })).toBeUndefined();
    expect(cache.peekFresh(PATH, { ...recorded, size: 1 })).toBeUndefined();
    expect(cache.peekFresh(PATH, recorded)).toBe(store);
    expect(cache.peekFresh(PATH, recorded)).toBe(store);
    expect(cache.tryTakeMutableSessionStoreCacheWithReason(PATH, recorded).kind).toBe("hit");
  });

  it("takeMutableSessionStoreCache returns the store on a hit only, and takes either way", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    const store = { a: entry("a") };
    cache.record(PATH, store, recorded, "{}\n");
    expect(cache.takeMutableSessionStoreCache(PATH, { kind: "missing" })).toBeUndefined();
    expect(cache.peekFresh(PATH, recorded)).toBeUndefined();
    cache.record(PATH, store, recorded, "{}\n");
    expect(cache.takeMutableSessionStoreCache(PATH, recorded)).toBe(store);
    expect(cache.takeMutableSessionStoreCache(PATH, recorded)).toBeUndefined();
  });

  it("clear drops every entry", () => {
    const cache = createWriterCache(mtimeAndSizeCheck);
    cache.record("/a.json", {}, recorded, "{}\n");
    cache.record("/b.json", {}, recorded, "{}\n");
    cache.clear();
    expect(cache.peekFresh("/a.json", recorded)).toBeUndefined();
    expect(cache.tryTakeMutableSessionStoreCacheWithReason("/b.json", recorded)).toEqual({ kind: "miss" });
  });
});
