/**
 * The package's API: the default session store (the contract's seed design, with its three
 * known limitations; `store.ts`), and what it is built from, for assembling another.
 */
export * from "./store.js";
export { createSessionStore, defaultParts, type StoreParts, type SessionStore } from "./create-store.js";
export {
  hardenedParts,
  sweepDeadWriterTemps,
  fingerprintPath,
  lockPathFor,
  type GuardedCommitOptions,
} from "./hardened.js";
export { SessionStoreCacheInvalidatedSchema, type SessionStoreCacheInvalidated } from "./tripwire/payload.js";
export { StoreParseError } from "./persistence/read-store.js";
export { createSubsystemLogger } from "./logger.js";
export * from "./types.js";
