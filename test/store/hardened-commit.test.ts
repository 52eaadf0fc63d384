/**
 * mid-flight-drift, closed: after the before-rename checkpoint and under the store lock, the
 * writer re-reads the file; if it changed since the load, it signals once and runs its mutator
 * again on the file as it is now.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createSessionStore, type SessionStore } from "../../src/create-store.js";
import { MAX_WRITE_ATTEMPTS } from "../../src/hardened/guarded-commit.js";
import { hardenedParts } from "../../src/hardened.js";
import { serializeStore, StoreParseError } from "../../src/persistence/read-store.js";
import { writeTextAtomic } from "../../src/persistence/write-atomic.js";
import type { SessionStoreCacheInvalidated } from "../../src/tripwire/payload.js";
import type { Checkpoint, Store } from "../../src/types.js";
import { entry, gate, readStore, statOf, tempFilesIn, useTempDir } from "./helpers.js";

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

type Stat = { mtimeMs: number; size: number } | null;
function changedBeforeRename(expected: Stat, observed: Stat): SessionStoreCacheInvalidated {
  return {
    schemaVersion: 1,
    type: "session_store_cache_invalidated",
    storePath: path,
    expectedMtime: expected?.mtimeMs ?? null,
    expectedSize: expected?.size ?? null,
    reason: "changed_before_rename",
    observedMtime: observed?.mtimeMs ?? null,
    observedSize: observed?.size ?? null,
  };
}

/** Holds the next writer at `at` (once) and runs `meanwhile` there, as the harness does. */
function holdOnceAt(at: Checkpoint, meanwhile: () => void | Promise<void>): void {
  let done = false;
  store._setSessionStoreWriterCheckpointForTest(async (checkpoint) => {
    if (checkpoint !== at || done) return;
    done = true;
    await meanwhile();
  });
}

/** Counts its runs: the mutator runs once more after a change. */
function counting(key: string): { mutator: (s: Store) => string; runs: () => number } {
  let runs = 0;
  return { mutator: (s) => ((s[key] = entry(key)), `run ${++runs}`), runs: () => runs };
}

async function externalAdd(key: string): Promise<void> {
  await writeTextAtomic(path, serializeStore({ ...readStore(path), [key]: entry(key) }));
}

for (const at of ["after-load", "before-rename"] as const) {
  it(`a change while held at ${at}: one payload at the re-check, the mutation re-applied to it`, async () => {
    await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
    const loaded = statOf(path);
    let changed: Stat = null;
    holdOnceAt(at, async () => {
      await externalAdd("x");
      changed = statOf(path);
    });
    const writer = counting("b");

    const result = await store.updateSessionStore(path, writer.mutator);

    expect(emitted).toEqual([changedBeforeRename(loaded, changed)]);
    expect(readStore(path)).toEqual({ a: entry("a"), x: entry("x"), b: entry("b") });
    expect(writer.runs()).toBe(2);
    expect(result).toBe("run 2");
    expect(tempFilesIn(tmpDir())).toEqual([]);
  });
}

it("the payload comes after the before-rename checkpoint returns, before the rename", async () => {
  await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
  const seenAtCheckpoint: number[] = [];
  store._setSessionStoreWriterCheckpointForTest(async (checkpoint) => {
    if (checkpoint !== "before-rename") return;
    seenAtCheckpoint.push(emitted.length);
    if (seenAtCheckpoint.length === 1) await externalAdd("x");
  });
  await store.updateSessionStore(path, (s) => void (s.b = entry("b")));
  // First checkpoint: nothing yet. The re-applied write passes the checkpoint again, after it.
  expect(seenAtCheckpoint).toEqual([0, 1]);
  expect(emitted).toHaveLength(1);
});

it("a change to the same content (touched, rewritten identically): no payload, the mutator runs once", async () => {
  await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
  holdOnceAt("before-rename", () => writeTextAtomic(path, readFileSync(path, "utf8")));
  const writer = counting("b");
  await store.updateSessionStore(path, writer.mutator);
  expect(emitted).toEqual([]);
  expect(writer.runs()).toBe(1);
});

it("the file deleted while held: observed* null, the mutation lands on {}", async () => {
  await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
  const loaded = statOf(path);
  holdOnceAt("before-rename", () => rmSync(path));
  await store.updateSessionStore(path, (s) => void (s.b = entry("b")));
  expect(emitted).toEqual([changedBeforeRename(loaded, null)]);
  expect(readStore(path)).toEqual({ b: entry("b") });
});

it("the file created while held (missing at the load): expected* null", async () => {
  let created: Stat = null;
  holdOnceAt("after-load", async () => {
    await writeTextAtomic(path, serializeStore({ x: entry("x") }));
    created = statOf(path);
  });
  await store.updateSessionStore(path, (s) => void (s.b = entry("b")));
  expect(emitted).toEqual([changedBeforeRename(null, created)]);
  expect(readStore(path)).toEqual({ x: entry("x"), b: entry("b") });
});

it("the file broken while held: one payload, then the usual refusal; the bytes stay, no temp", async () => {
  await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
  holdOnceAt("before-rename", () => writeFileSync(path, "{ broken"));
  await expect(store.updateSessionStore(path, (s) => void (s.b = entry("b")))).rejects.toThrow(StoreParseError);
  expect(emitted.map((p) => p.reason)).toEqual(["changed_before_rename"]);
  expect(readFileSync(path, "utf8")).toBe("{ broken");
  expect(tempFilesIn(tmpDir())).toEqual([]);
});

it("ACP is preserved from the file as re-read, not from the first load", async () => {
  await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
  const acp = { backend: "acpx", agent: "codex", state: "bound" };
  holdOnceAt("before-rename", () => writeTextAtomic(path, serializeStore({ a: entry("a", { acp }) })));
  // A mutator that rebuilds the entry without acp: the binding made meanwhile comes back.
  await store.updateSessionStore(path, (s) => void (s.a = entry("a", { note: "n" })));
  expect(readStore(path)).toEqual({ a: entry("a", { note: "n", acp }) });
});

it("another gateway's write while held is not lost either (the lock serializes the re-check and rename)", async () => {
  const other = createSessionStore(hardenedParts());
  await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
  holdOnceAt("before-rename", () => other.updateSessionStore(path, (s) => void (s.o = entry("o"))));
  await store.updateSessionStore(path, (s) => void (s.b = entry("b")));
  expect(readStore(path)).toEqual({ a: entry("a"), o: entry("o"), b: entry("b") });
  expect(emitted.map((p) => p.reason)).toEqual(["changed_before_rename"]);
});

it(`gives up after ${MAX_WRITE_ATTEMPTS} attempts when the file changes every time; the store keeps the last change`, async () => {
  await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
  let n = 0;
  store._setSessionStoreWriterCheckpointForTest(async (checkpoint) => {
    if (checkpoint === "before-rename") await externalAdd(`x${n++}`);
  });
  await expect(store.updateSessionStore(path, (s) => void (s.b = entry("b")))).rejects.toThrow(/given up/);
  expect(emitted).toHaveLength(MAX_WRITE_ATTEMPTS);
  expect(readStore(path)).not.toHaveProperty("b");
  expect(Object.keys(readStore(path))).toHaveLength(1 + MAX_WRITE_ATTEMPTS);
  expect(tempFilesIn(tmpDir())).toEqual([]);
});

describe("without a change", () => {
  it("a held writer commits as usual: no payload, one mutator run, cache recorded (next write is a hit)", async () => {
    await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
    const release = gate();
    store._setSessionStoreWriterCheckpointForTest((checkpoint) =>
      checkpoint === "before-rename" ? release.promise : undefined,
    );
    const writer = counting("b");
    const writing = store.updateSessionStore(path, writer.mutator);
    release.open();
    await writing;
    store._setSessionStoreWriterCheckpointForTest(null);
    await store.updateSessionStore(path, (s) => void (s.c = entry("c")));
    expect(emitted).toEqual([]);
    expect(writer.runs()).toBe(1);
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b"), c: entry("c") });
  });
});
