/**
 * The three regressions the tripwire exists for, against the default store instance.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  _setSessionStoreCacheInvalidatedEmitterForTest,
  _setSessionStoreWriterCheckpointForTest,
  clearSessionStoreCacheForTest,
  loadSessionStore,
  updateSessionStore,
  writeTextAtomic,
  type SessionStoreCacheInvalidated,
} from "../../src/index.js";
import { entry, readStore, useTempDir } from "./helpers.js";

const tmpDir = useTempDir();
let emitted: SessionStoreCacheInvalidated[];
let path: string;

function reset(): void {
  clearSessionStoreCacheForTest();
  _setSessionStoreCacheInvalidatedEmitterForTest(null);
  _setSessionStoreWriterCheckpointForTest(null);
}

beforeEach(() => {
  reset();
  emitted = [];
  _setSessionStoreCacheInvalidatedEmitterForTest((p) => void emitted.push(p));
  path = join(tmpDir(), "sessions.json");
});
afterEach(reset);

it("two in-process merges queued concurrently both land, and the tripwire never fires", async () => {
  await updateSessionStore(path, (s) => void (s.base = entry("base")));

  const first = updateSessionStore(path, (s) => {
    s.a = entry("a");
    return Object.keys(s);
  });
  const second = updateSessionStore(path, (s) => {
    s.b = entry("b");
    return Object.keys(s);
  });

  // The second mutator saw the first one's result: they ran one after the other.
  expect(await first).toEqual(["base", "a"]);
  expect(await second).toEqual(["base", "a", "b"]);
  expect(readStore(path)).toEqual({ base: entry("base"), a: entry("a"), b: entry("b") });
  expect(emitted).toEqual([]);
});

it("an external atomic write between two writes fires the typed payload, and both changes land", async () => {
  await updateSessionStore(path, (s) => void (s.mine = entry("mine")));
  const afterFirstWrite = statSync(path);
  const external = { ...loadSessionStore(path, { skipCache: true }), theirs: entry("theirs", { updatedAt: 5 }) };
  await writeTextAtomic(path, JSON.stringify(external));
  const live = statSync(path);

  await updateSessionStore(path, (s) => void (s.mine2 = entry("mine2")));

  expect(emitted).toEqual([
    {
      schemaVersion: 1,
      type: "session_store_cache_invalidated",
      reason: "stat_mismatch",
      storePath: path,
      observedMtime: live.mtimeMs,
      expectedMtime: afterFirstWrite.mtimeMs,
      observedSize: live.size,
      expectedSize: afterFirstWrite.size,
    },
  ]);
  expect(readStore(path)).toEqual({
    mine: entry("mine"),
    theirs: entry("theirs", { updatedAt: 5 }),
    mine2: entry("mine2"),
  });
});

it("an ACP binding written from outside survives the next merge, even one replacing the whole entry", async () => {
  await updateSessionStore(path, (s) => void (s.chat = entry("chat")));
  const binding = { backend: "acpx", agent: "codex", state: "bound" };
  await writeTextAtomic(path, JSON.stringify({ chat: entry("chat", { acp: binding }) }));

  // The cache still holds `chat` without acp; the mutator rebuilds the entry without it too.
  await updateSessionStore(path, (s) => void (s.chat = entry("chat", { updatedAt: 2 })));

  expect(readStore(path)).toEqual({ chat: entry("chat", { updatedAt: 2, acp: binding }) });
  expect(emitted).toHaveLength(1);
  expect(emitted[0]!.reason).toBe("stat_mismatch");
});
