import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createSessionStore, type SessionStore } from "../src/create-store.js";
import { hardenedParts } from "../src/hardened.js";
import type { Store } from "../src/types.js";
import { median } from "./floor.js";

export type StoreWriteRow = {
  entries: number;
  fileBytes: number;
  writes: number;
  /** Median microseconds per `updateSessionStore` (one merge), per store. */
  defaultUs: number;
  hardenedUs: number;
  /** hardened / default. */
  ratio: number;
};

export const STORE_SIZES = [10, 1_000, 10_000] as const;

function seed(entries: number): Store {
  const store: Store = {};
  for (let i = 0; i < entries; i++) {
    store[`chat-${i}`] = {
      sessionId: `sid-${i}`,
      updatedAt: i,
      note: `note ${i}`,
      ...(i % 3 === 0 ? { acp: { backend: "acpx", agent: "codex", state: "bound" } } : {}),
    };
  }
  return store;
}

type Lane = { store: SessionStore; path: string; times: number[] };

async function lane(store: SessionStore, dir: string, entries: number): Promise<Lane> {
  const path = join(dir, "sessions.json");
  await store.updateSessionStore(path, (s) => void Object.assign(s, seed(entries)));
  return { store, path, times: [] };
}

async function timedWrite({ store, path, times }: Lane, i: number): Promise<void> {
  const started = performance.now();
  await store.updateSessionStore(path, (s) => {
    s[`chat-${i % 7}`] = { ...s[`chat-${i % 7}`]!, note: `write ${i}`, updatedAt: i };
  });
  times.push((performance.now() - started) * 1000);
}

/**
 * The cost of hardening, per write: the default and the hardened store (each its own instance,
 * cache and directory) take turns, write after write, at each store size, in one run, so both
 * see the same machine noise. Every write is a real `updateSessionStore` with the cache warm
 * (a hit), the steady state of a gateway.
 */
export async function storeWriteBench(opts: { quick?: boolean } = {}): Promise<StoreWriteRow[]> {
  const rows: StoreWriteRow[] = [];
  for (const entries of STORE_SIZES) {
    const writes = Math.max(20, Math.round((opts.quick ? 40_000 : 400_000) / Math.max(entries, 200)));
    const dir = mkdtempSync(join(tmpdir(), "drift-bench-store-"));
    try {
      const plain = await lane(createSessionStore(), mkdir(dir, "default"), entries);
      const hard = await lane(createSessionStore(hardenedParts()), mkdir(dir, "hardened"), entries);
      for (let i = 0; i < writes + 5; i++) {
        // Alternate who goes first; the first five rounds warm up and are dropped.
        const [first, second] = i % 2 === 0 ? [plain, hard] : [hard, plain];
        await timedWrite(first, i);
        await timedWrite(second, i);
      }
      const defaultUs = median(plain.times.slice(5));
      const hardenedUs = median(hard.times.slice(5));
      rows.push({
        entries,
        fileBytes: statSync(plain.path).size,
        writes,
        defaultUs,
        hardenedUs,
        ratio: hardenedUs / defaultUs,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

function mkdir(parent: string, name: string): string {
  return mkdtempSync(join(parent, `${name}-`));
}

export function renderStoreWriteBench(rows: readonly StoreWriteRow[]): string {
  const lines = [
    "store-write: median µs per updateSessionStore (one merge, warm cache), default vs hardened in one run",
    "entries  file KB  writes  default µs  hardened µs  hardened/default",
  ];
  for (const row of rows) {
    lines.push(
      [
        String(row.entries).padEnd(7),
        (row.fileBytes / 1024).toFixed(1).padStart(7),
        String(row.writes).padStart(7),
        row.defaultUs.toFixed(0).padStart(11),
        row.hardenedUs.toFixed(0).padStart(12),
        `${row.ratio.toFixed(2)}x`.padStart(17),
      ].join("  "),
    );
  }
  return lines.join("\n");
}
