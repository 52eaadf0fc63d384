/**
 * The hardened session store: the default store's parts with three swapped, which closes all
 * three known limitations (docs/hardened.md says how, and what each costs per write).
 *
 * - freshness: a matching stat is confirmed by the content (coarse-mtime);
 * - firstLoad: a writer with no cache entry checks the store's fingerprint (empty-cache-bypass);
 * - commit: re-check under a cross-process lock before the rename, re-apply on a change
 *   (mid-flight-drift), fingerprint, and sweep dead writers' temps.
 */
import { createSessionStore, type StoreParts } from "./create-store.js";
import { contentCheckedFreshness } from "./hardened/content-freshness.js";
import { fingerprintFirstLoad } from "./hardened/first-load.js";
import { guardedCommit, type GuardedCommitOptions } from "./hardened/guarded-commit.js";

export function hardenedParts(options: GuardedCommitOptions = {}): Partial<StoreParts> {
  return {
    freshness: contentCheckedFreshness,
    firstLoad: fingerprintFirstLoad,
    commit: guardedCommit(options),
    knownLimitations: [],
  };
}

const store = createSessionStore(hardenedParts());

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

export { sweepDeadWriterTemps } from "./hardened/sweep-temps.js";
export { fingerprintPath } from "./hardened/fingerprint.js";
export { lockPathFor } from "./hardened/store-lock.js";
export type { GuardedCommitOptions } from "./hardened/guarded-commit.js";
export { SessionStoreCacheInvalidatedSchema, type SessionStoreCacheInvalidated } from "./tripwire/payload.js";
export { StoreParseError } from "./persistence/read-store.js";
