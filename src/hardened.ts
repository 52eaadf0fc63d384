/**
 * The hardened store's parts: the default store's parts with three swapped, which closes all
 * three known limitations (docs/hardened.md says how, and what each costs per write). This is a
 * parts module: as a store it is `store.js?parts=./hardened.js` (`drift-harness/hardened`), and
 * `--store` takes this file's path too.
 *
 * - freshness: a matching stat is confirmed by the content (coarse-mtime);
 * - firstLoad: a writer with no cache entry checks the store's fingerprint (empty-cache-bypass);
 * - commit: re-check under a cross-process lock before the rename, re-apply on a change
 *   (mid-flight-drift), fingerprint, and sweep dead writers' temps.
 */
import type { StoreParts } from "./create-store.js";
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

/** What `store.js?parts=./hardened.js` swaps in. */
export const storeParts = hardenedParts();

export { sweepDeadWriterTemps } from "./hardened/sweep-temps.js";
export { fingerprintPath } from "./hardened/fingerprint.js";
export { lockPathFor } from "./hardened/store-lock.js";
export type { GuardedCommitOptions } from "./hardened/guarded-commit.js";
