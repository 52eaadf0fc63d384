import type { StoreData } from "./types.js";

/**
 * The oracle's own statement of ACP preservation, written apart from src/ so that a bug in the
 * store cannot hide in a shared helper: an entry that had `acp` when loaded and still exists
 * without it gets it back, unless its key may drop it.
 */
export function preserveAcp(loaded: StoreData, mutated: StoreData, allowDrop: readonly string[]): void {
  for (const [key, entry] of Object.entries(loaded)) {
    const kept = mutated[key];
    if (entry?.acp != null && kept && typeof kept === "object" && kept.acp == null && !allowDrop.includes(key)) {
      kept.acp = structuredClone(entry.acp);
    }
  }
}
