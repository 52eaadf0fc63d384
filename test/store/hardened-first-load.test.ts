/**
 * empty-cache-bypass, closed: a writer with no cache entry compares the file with the store's
 * last landed write, which the fingerprint beside the store records (any process of the store).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createSessionStore, type SessionStore } from "../../src/create-store.js";
import { statFile } from "../../src/freshness/stat.js";
import { hardenedParts } from "../../src/hardened.js";
import { sha256 } from "../../src/hardened/disk-text.js";
import { fingerprintFirstLoad } from "../../src/hardened/first-load.js";
import { fingerprintPath, readFingerprint, writeFingerprint } from "../../src/hardened/fingerprint.js";
import { guardedCommit } from "../../src/hardened/guarded-commit.js";
import { serializeStore, StoreParseError } from "../../src/persistence/read-store.js";
import { writeTextAtomic } from "../../src/persistence/write-atomic.js";
import type { SessionStoreCacheInvalidated } from "../../src/tripwire/payload.js";
import { entry, readStore, statOf, tempFilesIn, useTempDir } from "./helpers.js";

const tmpDir = useTempDir();
let path: string;
let emitted: SessionStoreCacheInvalidated[];

/** A fresh hardened store: what a gateway is right after a (re)start. */
function gateway(): SessionStore {
  const store = createSessionStore(hardenedParts());
  store._setSessionStoreCacheInvalidatedEmitterForTest((p) => void emitted.push(p));
  return store;
}

beforeEach(() => {
  emitted = [];
  path = join(tmpDir(), "sessions.json");
});

const add = (key: string) => (s: Record<string, unknown>) => void (s[key] = entry(key));

function changedSince(
  expected: { mtimeMs: number; size: number },
  observed: { mtimeMs: number; size: number } | null,
): SessionStoreCacheInvalidated {
  return {
    schemaVersion: 1,
    type: "session_store_cache_invalidated",
    storePath: path,
    expectedMtime: expected.mtimeMs,
    expectedSize: expected.size,
    reason: "changed_since_last_write",
    observedMtime: observed?.mtimeMs ?? null,
    observedSize: observed?.size ?? null,
  };
}

describe("a writer with no cache entry", () => {
  it("finds the file changed since the store last wrote it: one payload, and the disk is used", async () => {
    await gateway().updateSessionStore(path, add("a"));
    const lastWrite = statOf(path);
    await writeTextAtomic(path, serializeStore({ a: entry("a"), x: entry("x") }));
    const live = statOf(path);

    await gateway().updateSessionStore(path, add("b"));

    expect(emitted).toEqual([changedSince(lastWrite, live)]);
    expect(readStore(path)).toEqual({ a: entry("a"), x: entry("x"), b: entry("b") });
  });

  it("signals at the load: the payload is out before the after-load checkpoint", async () => {
    await gateway().updateSessionStore(path, add("a"));
    await writeTextAtomic(path, serializeStore({ x: entry("x") }));
    const store = gateway();
    const atCheckpoint: number[] = [];
    store._setSessionStoreWriterCheckpointForTest(() => void atCheckpoint.push(emitted.length));
    await store.updateSessionStore(path, add("b"));
    expect(atCheckpoint).toEqual([1, 1]);
    expect(emitted).toHaveLength(1);
  });

  it("a missing file counts as changed: observed* null, and the writer starts from {}", async () => {
    await gateway().updateSessionStore(path, add("a"));
    const lastWrite = statOf(path);
    rmSync(path);

    await gateway().updateSessionStore(path, add("b"));

    expect(emitted).toEqual([changedSince(lastWrite, null)]);
    expect(readStore(path)).toEqual({ b: entry("b") });
  });

  it("the file as the store last wrote it (even by another gateway): nothing", async () => {
    await gateway().updateSessionStore(path, add("a"));
    await gateway().updateSessionStore(path, add("b"));
    await gateway().updateSessionStore(path, add("c"));
    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b"), c: entry("c") });
  });

  it("the same store in other bytes (an editor reformatted it): nothing", async () => {
    await gateway().updateSessionStore(path, add("a"));
    writeFileSync(path, JSON.stringify(readStore(path)));
    await gateway().updateSessionStore(path, add("b"));
    expect(emitted).toEqual([]);
  });

  it("an outside edit that restores an older content exactly is still a change (the last write was later)", async () => {
    const first = gateway();
    await first.updateSessionStore(path, add("a"));
    const older = readFileSync(path, "utf8");
    await first.updateSessionStore(path, add("b"));
    const lastWrite = statOf(path);
    await writeTextAtomic(path, older);
    const live = statOf(path);

    await gateway().updateSessionStore(path, add("c"));

    expect(emitted).toEqual([changedSince(lastWrite, live)]);
    expect(readStore(path)).toEqual({ a: entry("a"), c: entry("c") });
  });

  it("an unparseable file: the usual refusal naming the file, no payload, the bytes stay", async () => {
    await gateway().updateSessionStore(path, add("a"));
    writeFileSync(path, "{ broken");

    await expect(gateway().updateSessionStore(path, add("b"))).rejects.toThrow(StoreParseError);

    expect(emitted).toEqual([]);
    expect(readFileSync(path, "utf8")).toBe("{ broken");
  });

  it("a store this store never wrote (no fingerprint): a silent miss, as in the contract", async () => {
    writeFileSync(path, serializeStore({ old: entry("old") }));
    await gateway().updateSessionStore(path, add("a"));
    expect(emitted).toEqual([]);
    expect(existsSync(fingerprintPath(path))).toBe(true);
  });

  it("an unreadable fingerprint (torn or edited) is ignored, and the next write replaces it", async () => {
    await gateway().updateSessionStore(path, add("a"));
    const text = readFileSync(fingerprintPath(path), "utf8");
    writeFileSync(fingerprintPath(path), text.replace(/"check":"[0-9a-f]{4}/, '"check":"0000'));
    await writeTextAtomic(path, serializeStore({ x: entry("x") }));

    await gateway().updateSessionStore(path, add("b"));

    expect(emitted).toEqual([]);
    expect(readFingerprint(path)?.pending.sha256).toBe(sha256(readFileSync(path, "utf8")));
  });

  it("after a failed write (a throwing mutator) the next writer compares with the last landed write", async () => {
    const store = gateway();
    await store.updateSessionStore(path, add("a"));
    const lastWrite = statOf(path);
    await writeTextAtomic(path, serializeStore({ x: entry("x") }));
    // The failing writer reloads (stat changed) and signals it as the contract says...
    await expect(
      store.updateSessionStore(path, () => {
        throw new Error("mutator fails");
      }),
    ).rejects.toThrow("mutator fails");
    expect(emitted.map((p) => p.reason)).toEqual(["stat_mismatch"]);
    // ...and takes the cache entry with it: the next one has none, and the file still is not
    // what the store last wrote.
    await store.updateSessionStore(path, add("b"));
    expect(emitted.map((p) => p.reason)).toEqual(["stat_mismatch", "changed_since_last_write"]);
    expect(emitted[1]).toMatchObject({ expectedMtime: lastWrite.mtimeMs, expectedSize: lastWrite.size });
  });
});

describe("the fingerprint", () => {
  it("holds the last write as pending (its text's hash and the stat it landed with) and the one before as landed", async () => {
    const store = gateway();
    await store.updateSessionStore(path, add("a"));
    const first = { sha256: sha256(readFileSync(path, "utf8")), ...statOf(path) };
    await store.updateSessionStore(path, add("b"));
    const fingerprint = readFingerprint(path);
    expect(fingerprint?.landed).toEqual(first);
    expect(fingerprint?.pending).toMatchObject({ sha256: sha256(readFileSync(path, "utf8")), ...statOf(path) });
    // Fixed length, overwritten in place.
    expect(readFileSync(fingerprintPath(path)).length).toBe(512);
    expect(tempFilesIn(tmpDir())).toEqual([]);
  });

  it("is put back when the rename fails, so nobody believes the failed write landed", async () => {
    await gateway().updateSessionStore(path, add("a"));
    const before = readFileSync(fingerprintPath(path), "utf8");
    const temp = join(tmpDir(), `sessions.json.${process.pid}.0123456789ab.tmp`);
    const text = serializeStore({ b: entry("b") });
    writeFileSync(temp, text);
    const commit = guardedCommit();
    const seen = { stat: { kind: "missing" as const }, text: readFileSync(path, "utf8") };
    await expect(
      commit.commit({
        storePath: path,
        seen,
        temp: { path: temp, text },
        rename: () => Promise.reject(new Error("rename failed")),
      }),
    ).rejects.toThrow("rename failed");
    expect(readFileSync(fingerprintPath(path), "utf8")).toBe(before);
  });

  it("is removed again when the store's very first rename fails", async () => {
    writeFileSync(path, serializeStore({}));
    const temp = join(tmpDir(), `sessions.json.${process.pid}.0123456789ab.tmp`);
    writeFileSync(temp, "{}\n");
    const seen = { stat: { kind: "missing" as const }, text: readFileSync(path, "utf8") };
    await expect(
      guardedCommit().commit({
        storePath: path,
        seen,
        temp: { path: temp, text: "{}\n" },
        rename: () => Promise.reject(new Error("no")),
      }),
    ).rejects.toThrow("no");
    expect(existsSync(fingerprintPath(path))).toBe(false);
  });
});

describe("fingerprintFirstLoad, racing another gateway's commit", () => {
  const record = (text: string) => ({ sha256: sha256(text), mtimeMs: 1, size: Buffer.byteLength(text) });
  const older = serializeStore({ a: entry("a") });
  const newer = serializeStore({ a: entry("a"), b: entry("b") });

  it("the file read just before another gateway renamed its write in: not a change", () => {
    // We read `older`; then the other gateway wrote the fingerprint and renamed `newer` in.
    writeFileSync(path, newer);
    writeFingerprint(path, {
      landed: record(older),
      pending: { ...record(newer), temp: "sessions.json.1.0123456789ab.tmp" },
    });
    expect(fingerprintFirstLoad(path, { stat: statFile(path), text: older })).toBeNull();
  });

  it("but the older write back on disk after the newer one landed is a change", () => {
    writeFileSync(path, older);
    writeFingerprint(path, {
      landed: record(older),
      pending: { ...record(newer), temp: "sessions.json.1.0123456789ab.tmp" },
    });
    expect(fingerprintFirstLoad(path, { stat: statFile(path), text: older })).toMatchObject({
      reason: "changed_since_last_write",
    });
  });

  it("a commit under way (its temp still there): either write is no change, anything else is", () => {
    writeFileSync(path, older);
    const temp = "sessions.json.1.0123456789ab.tmp";
    writeFileSync(join(tmpDir(), temp), newer);
    writeFingerprint(path, { landed: record(older), pending: { ...record(newer), temp } });
    expect(fingerprintFirstLoad(path, { stat: statFile(path), text: older })).toBeNull();
    expect(fingerprintFirstLoad(path, { stat: statFile(path), text: newer })).toBeNull();
    expect(fingerprintFirstLoad(path, { stat: statFile(path), text: serializeStore({}) })).toMatchObject({
      expected: { size: Buffer.byteLength(older) },
    });
  });
});
