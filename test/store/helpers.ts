import { readdirSync, readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { dir, type DirectoryResult } from "tmp-promise";
import { afterEach, beforeEach } from "vitest";
import type { SessionStoreCacheInvalidated } from "../../src/tripwire/payload.js";
import type { SessionEntry, Store } from "../../src/types.js";

/** A fresh real temp directory per test; returns a getter because it exists only inside a test. */
export function useTempDir(): () => string {
  let current: DirectoryResult | undefined;
  beforeEach(async () => {
    current = await dir({ unsafeCleanup: true });
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("useTempDir: no temp dir outside a test");
    return current.path;
  };
}

export function entry(sessionId: string, extra: Partial<SessionEntry> = {}): SessionEntry {
  return { sessionId, updatedAt: 1, ...extra };
}

export function readStore(path: string): Store {
  return JSON.parse(readFileSync(path, "utf8")) as Store;
}

export function statOf(path: string): { mtimeMs: number; size: number } {
  const s = statSync(path);
  return { mtimeMs: s.mtimeMs, size: s.size };
}

export function tempFilesIn(directory: string): string[] {
  return readdirSync(directory).filter((name) => name.endsWith(".tmp"));
}

/** A promise that a test resolves by hand, to hold a writer at a checkpoint. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * One turn of the event loop: Node reports an unhandled rejection once the microtasks of the
 * turn it happened in have run, before any `setImmediate` callback of that turn.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Whole seconds set with utimes are exact (a whole second is exact as a double), so this stands for a coarse file system:
 * pin the mtime of every temp file in `directory`, which the rename then carries over.
 */
export function pinTempMtimes(directory: string, seconds: number): void {
  for (const name of tempFilesIn(directory)) utimesSync(join(directory, name), seconds, seconds);
}

export function stalePayload(
  storePath: string,
  expected: { mtimeMs: number; size: number },
  observed: { mtimeMs: number; size: number },
): SessionStoreCacheInvalidated {
  return {
    schemaVersion: 1,
    type: "session_store_cache_invalidated",
    reason: "stat_mismatch",
    storePath,
    expectedMtime: expected.mtimeMs,
    expectedSize: expected.size,
    observedMtime: observed.mtimeMs,
    observedSize: observed.size,
  };
}

export function missingPayload(
  storePath: string,
  expected: { mtimeMs: number; size: number },
): SessionStoreCacheInvalidated {
  return {
    schemaVersion: 1,
    type: "session_store_cache_invalidated",
    reason: "missing_file",
    storePath,
    expectedMtime: expected.mtimeMs,
    expectedSize: expected.size,
    observedMtime: null,
    observedSize: null,
  };
}
