/**
 * The session store module: the contract's exports and nothing else, so that a process that
 * only runs the store (a gateway) loads only the store. The same module with
 * `?parts=<parts module>` on its URL is that store with those parts swapped (parts-from-url.ts):
 * `drift-harness/hardened` is `store.js?parts=./hardened.js`. The package's API (`index.ts`)
 * re-exports this module.
 */
import { createSessionStore } from "./create-store.js";
import { partsFromUrl } from "./parts-from-url.js";

const store = createSessionStore(await partsFromUrl(import.meta.url));

export const {
  updateSessionStore,
  loadSessionStore,
  writeTextAtomic,
  runExclusiveSessionStoreWrite,
  _setSessionStoreCacheInvalidatedEmitterForTest,
  _setSessionStoreWriterCheckpointForTest,
  clearSessionStoreCacheForTest,
  knownLimitations,
} = store;
