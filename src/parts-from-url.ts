import type { StoreParts } from "./create-store.js";

/**
 * The parts a store module's own URL asks for: `?parts=<URL of a parts module>` (relative to the
 * store module), whose `storeParts` export is swapped into the default store. No query: none.
 * This is how one module serves as the default store, the hardened store
 * (`store.js?parts=./hardened.js`) and every broken variant, with the contract's exports
 * written out once.
 */
export async function partsFromUrl(moduleUrl: string): Promise<Partial<StoreParts>> {
  const named = new URL(moduleUrl).searchParams.get("parts");
  if (named === null) return {};
  const url = new URL(named, moduleUrl).href;
  let loaded: { storeParts?: unknown };
  try {
    loaded = (await import(url)) as { storeParts?: unknown };
  } catch (error) {
    throw new Error(`store module ${moduleUrl}: cannot import its parts module ${url}: ${(error as Error).message}`);
  }
  if (typeof loaded.storeParts !== "object" || loaded.storeParts === null) {
    throw new Error(`store module ${moduleUrl}: ${url} exports no storeParts (an object of store parts)`);
  }
  return loaded.storeParts as Partial<StoreParts>;
}
