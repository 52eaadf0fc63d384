/**
 * coarse-mtime, closed: a stat that matches the cache is confirmed by the file's content.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { mtimeNs, restoreMtimeExactly } from "../../harness/faults/mtime.js";
import { createSessionStore, type SessionStore } from "../../src/create-store.js";
import type { CacheEntry } from "../../src/freshness/check.js";
import { statFile, type PresentStat } from "../../src/freshness/stat.js";
import { hardenedParts } from "../../src/hardened.js";
import { contentCheckedFreshness } from "../../src/hardened/content-freshness.js";
import { serializeStore, StoreParseError } from "../../src/persistence/read-store.js";
import { writeTextAtomic, writeTextCommitted } from "../../src/persistence/write-atomic.js";
import type { SessionStoreCacheInvalidated } from "../../src/tripwire/payload.js";
import { entry, pinTempMtimes, readStore, statOf, useTempDir } from "./helpers.js";

const tmpDir = useTempDir();
let store: SessionStore;
let emitted: SessionStoreCacheInvalidated[];
let path: string;

beforeEach(() => {
  store = createSessionStore(hardenedParts());
  emitted = [];
  store._setSessionStoreCacheInvalidatedEmitterForTest((p) => void emitted.push(p));
  path = join(tmpDir(), "sessions.json");
});

const add = (key: string) => (s: Record<string, unknown>) => void (s[key] = entry(key));

/** The harness's same-second edit: new text by atomic rename, then the old mtime to the nanosecond. */
async function sameSecondEdit(text: string): Promise<void> {
  const previous = mtimeNs(path);
  await writeTextAtomic(path, text);
  restoreMtimeExactly(path, previous);
}

function contentMismatch(stat: { mtimeMs: number; size: number }): SessionStoreCacheInvalidated {
  return {
    schemaVersion: 1,
    type: "session_store_cache_invalidated",
    storePath: path,
    expectedMtime: stat.mtimeMs,
    expectedSize: stat.size,
    reason: "content_mismatch",
    observedMtime: stat.mtimeMs,
    observedSize: stat.size,
  };
}

describe("a writer whose cache stat still matches", () => {
  it("same mtime (restored to the ns) and size, other content: one content_mismatch, and the disk is used", async () => {
    await store.updateSessionStore(path, add("a"));
    const recorded = statOf(path);
    await sameSecondEdit(serializeStore({ z: entry("z") }));
    expect(statOf(path)).toEqual(recorded);

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([contentMismatch(recorded)]);
    expect(readStore(path)).toEqual({ z: entry("z"), b: entry("b") });
  });

  it("a coarse clock (whole seconds set with utimes), same size: one content_mismatch", async () => {
    store._setSessionStoreWriterCheckpointForTest((checkpoint) => {
      if (checkpoint === "before-rename") pinTempMtimes(tmpDir(), 1_790_000_000);
    });
    await store.updateSessionStore(path, add("a"));
    const recorded = statOf(path);
    await writeTextCommitted(
      path,
      serializeStore({ z: entry("z") }),
      {},
      { beforeRename: () => pinTempMtimes(tmpDir(), 1_790_000_000), commit: ({ rename }) => rename() },
    );
    expect(statOf(path)).toEqual(recorded);

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([contentMismatch(recorded)]);
    expect(readStore(path)).toEqual({ z: entry("z"), b: entry("b") });
  });

  it("an in-place rewrite (same inode), same size, mtime restored: one content_mismatch", async () => {
    await store.updateSessionStore(path, add("a"));
    const recorded = statOf(path);
    const previous = mtimeNs(path);
    writeFileSync(path, readFileSync(path, "utf8").replaceAll('"a"', '"z"'));
    restoreMtimeExactly(path, previous);
    expect(statOf(path)).toEqual(recorded);

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([contentMismatch(recorded)]);
    expect(readStore(path)).toEqual({ z: entry("z"), b: entry("b") });
  });

  it("the same content rewritten (new inode, new ctime): a hit, nothing emitted", async () => {
    await store.updateSessionStore(path, add("a"));
    const before = statFile(path) as PresentStat;
    await sameSecondEdit(readFileSync(path, "utf8"));
    expect((statFile(path) as PresentStat).ino).not.toBe(before.ino);

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
  });

  it("the same store in other bytes (compacted, padded to the same size): a hit, nothing emitted", async () => {
    await store.updateSessionStore(path, add("a"));
    const text = readFileSync(path, "utf8");
    const compact = JSON.stringify(JSON.parse(text));
    await sameSecondEdit(compact.padEnd(Buffer.byteLength(text)));

    await store.updateSessionStore(path, add("b"));

    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
  });

  it("an unparseable same-size edit: one content_mismatch, then the usual refusal; the bytes stay", async () => {
    await store.updateSessionStore(path, add("a"));
    const recorded = statOf(path);
    const broken = "x".repeat(recorded.size);
    await sameSecondEdit(broken);

    await expect(store.updateSessionStore(path, add("b"))).rejects.toThrow(StoreParseError);

    expect(emitted).toEqual([contentMismatch(recorded)]);
    expect(readFileSync(path, "utf8")).toBe(broken);
  });

  it("the next writer after a content_mismatch reload is a plain hit again", async () => {
    await store.updateSessionStore(path, add("a"));
    await sameSecondEdit(serializeStore({ z: entry("z") }));
    await store.updateSessionStore(path, add("b"));
    await store.updateSessionStore(path, add("c"));
    expect(emitted).toHaveLength(1);
    expect(readStore(path)).toEqual({ z: entry("z"), b: entry("b"), c: entry("c") });
  });
});

describe("readers", () => {
  it("never serve a cache whose content the file no longer holds, and never emit", async () => {
    await store.updateSessionStore(path, add("a"));
    await sameSecondEdit(serializeStore({ z: entry("z") }));
    expect(store.loadSessionStore(path)).toEqual({ z: entry("z") });
    expect(emitted).toEqual([]);
  });
});

describe("contentCheckedFreshness", () => {
  const stat = (): PresentStat => statFile(path) as PresentStat;

  it("a differing stat is stale without reading, as in the contract", () => {
    writeFileSync(path, serializeStore({ a: entry("a") }));
    const cached: CacheEntry = {
      store: { a: entry("a") },
      stat: { ...stat(), size: 1 },
      text: serializeStore({ a: entry("a") }),
    };
    expect(contentCheckedFreshness(cached, stat(), path)).toEqual({
      kind: "stale",
      reason: "stat_mismatch",
      observed: stat(),
    });
    expect(contentCheckedFreshness(cached, { kind: "missing" }, path)).toEqual({
      kind: "stale",
      reason: "missing_file",
    });
  });

  it("a matching stat is fresh only when the content matches the entry's text (parsed: a reformatting is the same)", () => {
    const text = serializeStore({ a: entry("a") });
    writeFileSync(path, text);
    expect(contentCheckedFreshness({ store: { a: entry("a") }, stat: stat(), text }, stat(), path)).toEqual({
      kind: "fresh",
    });
    expect(
      contentCheckedFreshness(
        { store: { a: entry("a") }, stat: stat(), text: JSON.stringify({ a: entry("a") }) },
        stat(),
        path,
      ),
    ).toEqual({ kind: "fresh" });
    const other = serializeStore({ b: entry("b") });
    expect(contentCheckedFreshness({ store: { b: entry("b") }, stat: stat(), text: other }, stat(), path)).toEqual({
      kind: "stale",
      reason: "content_mismatch",
      observed: stat(),
    });
  });
});
