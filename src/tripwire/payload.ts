import { isAbsolute } from "node:path";
import { z } from "zod";
import { TRIPWIRE_EVENT } from "./event.js";

/**
 * The tripwire payload, defined once. The store's types, the harness's checks, the scenario
 * schema and the docs all derive from this schema.
 *
 * `expected*` / `observed*` are always exactly Node's `fs.Stats` `mtimeMs` and `size`; what
 * "expected" and "observed" stand for depends on the reason:
 *
 * - `stat_mismatch`, `missing_file` (the contract's): the cache entry's stat / the live stat.
 * - `content_mismatch` (a store that closed coarse-mtime): the cache entry's stat / the live
 *   stat. Both are equal by definition: the stat said "unchanged", the content did not.
 * - `changed_since_last_write` (closed empty-cache-bypass): the stat the store's last landed
 *   write left, as its fingerprint recorded it / the live stat at the load, `null` when the
 *   file is missing.
 * - `changed_before_rename` (closed mid-flight-drift): the stat at the writer's load, `null`
 *   when the file was missing then / the stat at the re-check before the rename, `null` when
 *   it is missing now.
 *
 * @example
 * { schemaVersion: 1, type: "session_store_cache_invalidated", reason: "stat_mismatch",
 *   storePath: "/tmp/x/sessions.json", observedMtime: 1795564808634.0427,
 *   expectedMtime: 1795564808631.4177, observedSize: 412, expectedSize: 388 }
 */
const head = {
  schemaVersion: z.literal(1),
  type: z.literal(TRIPWIRE_EVENT),
  storePath: z.string().refine(isAbsolute, "storePath must be an absolute path"),
};
const mtime = z.number().finite();
const size = z.number().int().nonnegative();
const expectedStat = { expectedMtime: mtime, expectedSize: size };
const observedStat = { observedMtime: mtime, observedSize: size };
const bothOrNeither = (prefix: "expected" | "observed") => (payload: Record<string, unknown>) =>
  (payload[`${prefix}Mtime`] === null) === (payload[`${prefix}Size`] === null);

export const StatMismatchPayloadSchema = z.strictObject({
  ...head,
  reason: z.literal("stat_mismatch"),
  ...expectedStat,
  ...observedStat,
});

export const MissingFilePayloadSchema = z.strictObject({
  ...head,
  reason: z.literal("missing_file"),
  ...expectedStat,
  observedMtime: z.null(),
  observedSize: z.null(),
});

export const ContentMismatchPayloadSchema = z.strictObject({
  ...head,
  reason: z.literal("content_mismatch"),
  ...expectedStat,
  ...observedStat,
});

export const ChangedSinceLastWritePayloadSchema = z
  .strictObject({
    ...head,
    reason: z.literal("changed_since_last_write"),
    ...expectedStat,
    observedMtime: mtime.nullable(),
    observedSize: size.nullable(),
  })
  .refine(bothOrNeither("observed"), "observedMtime and observedSize are null together (missing file)");

export const ChangedBeforeRenamePayloadSchema = z
  .strictObject({
    ...head,
    reason: z.literal("changed_before_rename"),
    expectedMtime: mtime.nullable(),
    expectedSize: size.nullable(),
    observedMtime: mtime.nullable(),
    observedSize: size.nullable(),
  })
  .refine(bothOrNeither("expected"), "expectedMtime and expectedSize are null together (file missing at load)")
  .refine(bothOrNeither("observed"), "observedMtime and observedSize are null together (file missing now)");

export const SessionStoreCacheInvalidatedSchema = z.discriminatedUnion("reason", [
  StatMismatchPayloadSchema,
  MissingFilePayloadSchema,
  ContentMismatchPayloadSchema,
  ChangedSinceLastWritePayloadSchema,
  ChangedBeforeRenamePayloadSchema,
]);

export type SessionStoreCacheInvalidated = z.infer<typeof SessionStoreCacheInvalidatedSchema>;

export { TRIPWIRE_EVENT };
