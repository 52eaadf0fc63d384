// The store this package ships: the contract's design, with its three known limitations
// (no `knownLimitations` export means all three, and drift-harness checks they still reproduce).
import { makeStore } from "./make-store.js";

export const {
  updateSessionStore,
  loadSessionStore,
  writeTextAtomic,
  runExclusiveSessionStoreWrite,
  _setSessionStoreCacheInvalidatedEmitterForTest,
  _setSessionStoreWriterCheckpointForTest,
  clearSessionStoreCacheForTest,
} = makeStore();
