// Deliberately broken: a writer trusts its cache without looking at the file, so a change made
// by another process is overwritten (openclaw#10331's bug). `no-lost-update` must catch it.
import { makeStore } from "./make-store.js";

export const {
  updateSessionStore,
  loadSessionStore,
  writeTextAtomic,
  runExclusiveSessionStoreWrite,
  _setSessionStoreCacheInvalidatedEmitterForTest,
  _setSessionStoreWriterCheckpointForTest,
  clearSessionStoreCacheForTest,
} = makeStore({ trustCache: true });
