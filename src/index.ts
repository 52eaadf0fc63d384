/**
 * The session store module: the contract's seed design, with its three known limitations. The
 * same module with `?parts=<parts module>` on its URL is that store with those parts swapped
 * (see parts-from-url.ts): `drift-harness/hardened` is `index.js?parts=./hardened.js`.
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

export { createSessionStore, defaultParts, type StoreParts, type SessionStore } from "./create-store.js";
export { hardenedParts, sweepDeadWriterTemps, fingerprintPath, lockPathFor, type GuardedCommitOptions } from "./hardened.js";
export { SessionStoreCacheInvalidatedSchema, type SessionStoreCacheInvalidated } from "./tripwire/payload.js";
export { StoreParseError } from "./persistence/read-store.js";
export { createSubsystemLogger } from "./logger.js";
export * from "./types.js";
