// The store this package ships: the contract's design, with its three known limitations
// (no `knownLimitations` export means all three, and drift-harness checks they still reproduce).
// `?trustCache` on this module's URL makes the deliberately broken one (see broken-store.js), so
// the exports are written out once.
import { makeStore } from "./make-store.js";

export const {
  updateSessionStore,
  loadSessionStore,
  writeTextAtomic,
  runExclusiveSessionStoreWrite,
  _setSessionStoreCacheInvalidatedEmitterForTest,
  _setSessionStoreWriterCheckpointForTest,
  clearSessionStoreCacheForTest,
} = makeStore({ trustCache: new URL(import.meta.url).searchParams.has("trustCache") });
