import type { AcpMeta, Store } from "./types.js";
import type { WriterCacheLoad } from "./freshness/writer-cache.js";

export type AcpSnapshot = ReadonlyMap<string, AcpMeta>;

/**
 * The ACP part: a snapshot of every entry's `acp` before the mutator runs, and its restoration
 * afterwards onto entries the mutator kept but stripped of `acp`.
 */
export type AcpPreservation = {
  snapshot(loaded: Store, load: WriterCacheLoad): AcpSnapshot;
  restore(store: Store, snapshot: AcpSnapshot, allowDrop: ReadonlySet<string>): void;
};

export function snapshotAcp(store: Store): AcpSnapshot {
  const snapshot = new Map<string, AcpMeta>();
  for (const [key, entry] of Object.entries(store)) {
    if (isObject(entry) && entry.acp != null) snapshot.set(key, structuredClone(entry.acp));
  }
  return snapshot;
}

export function restoreAcp(store: Store, snapshot: AcpSnapshot, allowDrop: ReadonlySet<string>): void {
  for (const [key, acp] of snapshot) {
    const entry = store[key];
    if (isObject(entry) && entry.acp == null && !allowDrop.has(key)) entry.acp = structuredClone(acp);
  }
}

/** The contract's preservation: snapshot the store as loaded (after any reload). */
export const preserveFromLoadedStore: AcpPreservation = {
  snapshot: (loaded) => snapshotAcp(loaded),
  restore: restoreAcp,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
