/** The default session store: the contract's seed design, with its three known limitations. */
import { createSessionStore } from "./create-store.js";

const store = createSessionStore();

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

export { createSessionStore, defaultParts, type StoreParts, type SessionStore } from "./create-store.js";
export { SessionStoreCacheInvalidatedSchema, type SessionStoreCacheInvalidated } from "./tripwire/payload.js";
export { StoreParseError } from "./persistence/read-store.js";
export { createSubsystemLogger } from "./logger.js";
export * from "./types.js";
