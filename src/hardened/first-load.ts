import type { FirstLoadCheck } from "../freshness/first-load.js";
import { statPair, type StatPair } from "../freshness/stat.js";
import { readTextOrNull } from "../persistence/read-store.js";
import { holdsOneOf, possiblyLanded, readFingerprint } from "./fingerprint.js";

/**
 * Closes empty-cache-bypass. A writer with no cache entry compares the file it just read with
 * the store's last landed write, as the fingerprint beside the store records it (any process of
 * the store wrote it). A missing file counts as changed; an unparseable one never gets here (the
 * writer refuses it first). No fingerprint, or no write known to have landed: nothing to say.
 */
export const fingerprintFirstLoad: FirstLoadCheck = (storePath, seen) => {
  const fingerprint = readFingerprint(storePath);
  if (!fingerprint) return null;
  const candidates = possiblyLanded(storePath, fingerprint);
  const [last] = candidates;
  if (!last || holdsOneOf(candidates, seen.text)) return null;
  // The file was read before the fingerprint: another gateway may have landed its write in
  // between (our text is then its `landed`, and the file now holds its `pending`). That is a
  // store write, not a change; the commit's re-check covers the writer's base.
  const { landed, pending } = fingerprint;
  if (landed && holdsOneOf([landed], seen.text) && holdsOneOf([pending], readTextOrNull(storePath))) return null;
  return {
    kind: "changed",
    reason: "changed_since_last_write",
    expected: { mtimeMs: last.mtimeMs, size: last.size } satisfies StatPair,
    observed: statPair(seen.stat),
  };
};
