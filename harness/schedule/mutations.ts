import type { ExternalChange, WriterOp } from "./schema.js";

/**
 * What each operation does to a parsed store, defined once: the gateway and external actors
 * perform it and the reference model predicts with it. `stamp` (the step's index) becomes the
 * entry's `updatedAt`, so every update is distinguishable and every run deterministic.
 */
type Entry = { sessionId: string; updatedAt: number; acp?: Record<string, unknown>; [field: string]: unknown };
type StoreData = Record<string, Entry>;

export class MutatorFailure extends Error {
  override readonly name = "MutatorFailure";
}

/** The stamp of the `index`-th op of a batch step stamped `stamp`: each op's update stays distinguishable. */
export const batchOpStamp = (stamp: number, index: number): number => stamp * 100 + index;

const fresh = (key: string): Entry => ({ sessionId: `sid-${key}`, updatedAt: 0 });

/** Applies one gateway writer op in place; `merge-throw` mutates then throws. */
export function applyWriterOp(store: StoreData, op: WriterOp, stamp: number): void {
  switch (op.op) {
    case "merge":
      store[op.key] = { ...(store[op.key] ?? fresh(op.key)), ...op.set, updatedAt: stamp };
      return;
    case "merge-noop":
      return;
    case "merge-throw":
      store[op.key] = { ...(store[op.key] ?? fresh(op.key)), updatedAt: stamp };
      throw new MutatorFailure(`mutator for ${op.key} failed on purpose (stamp ${stamp})`);
    case "replace-entry":
      store[op.key] = { sessionId: store[op.key]?.sessionId ?? `sid-${op.key}`, ...op.set, updatedAt: stamp };
      return;
    case "delete-entry":
      delete store[op.key];
      return;
    case "acp-bind":
      store[op.key] = { ...(store[op.key] ?? fresh(op.key)), acp: op.acp as Entry["acp"], updatedAt: stamp };
      return;
    case "acp-set": {
      // As the release's ACP callers do with mutate(current): a part changed, the rest kept.
      const entry = store[op.key];
      if (!entry?.acp) return;
      store[op.key] = { ...entry, acp: { ...entry.acp, ...op.set }, updatedAt: stamp };
      return;
    }
    case "acp-drop": {
      const entry = store[op.key];
      if (!entry) return;
      const { acp: _dropped, ...rest } = entry;
      store[op.key] = { ...rest, updatedAt: stamp };
      return;
    }
  }
}

/** The keys whose `acp` the op may drop (`allowDropAcpMetaSessionKeys`). */
export const allowedAcpDrops = (op: WriterOp): string[] => (op.op === "acp-drop" ? [op.key] : []);

/** Applies an external process's changes in place. */
export function applyExternalChanges(store: StoreData, changes: readonly ExternalChange[], stamp: number): void {
  for (const change of changes) {
    switch (change.kind) {
      case "set":
        store[change.key] = { ...(store[change.key] ?? fresh(change.key)), ...change.set, updatedAt: stamp };
        break;
      case "remove":
        delete store[change.key];
        break;
      case "bind-acp":
        store[change.key] = {
          ...(store[change.key] ?? fresh(change.key)),
          acp: change.acp as Entry["acp"],
          updatedAt: stamp,
        };
        break;
    }
  }
}
