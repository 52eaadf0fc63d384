import { isAbsolute } from "node:path";
import { z } from "zod";

/**
 * The tripwire payload, defined once. The store's types, the harness's checks, the scenario
 * schema and the docs all derive from this schema.
 *
 * @example
 * { schemaVersion: 1, type: "session_store_cache_invalidated", reason: "stat_mismatch",
 *   storePath: "/tmp/x/sessions.json", observedMtime: 1795564808634.0427,
 *   expectedMtime: 1795564808631.4177, observedSize: 412, expectedSize: 388 }
 */
const common = {
  schemaVersion: z.literal(1),
  type: z.literal("session_store_cache_invalidated"),
  storePath: z.string().refine(isAbsolute, "storePath must be an absolute path"),
  expectedMtime: z.number().finite(),
  expectedSize: z.number().int().nonnegative(),
};

export const StatMismatchPayloadSchema = z.strictObject({
  ...common,
  reason: z.literal("stat_mismatch"),
  observedMtime: z.number().finite(),
  observedSize: z.number().int().nonnegative(),
});

export const MissingFilePayloadSchema = z.strictObject({
  ...common,
  reason: z.literal("missing_file"),
  observedMtime: z.null(),
  observedSize: z.null(),
});

export const SessionStoreCacheInvalidatedSchema = z.discriminatedUnion("reason", [
  StatMismatchPayloadSchema,
  MissingFilePayloadSchema,
]);

export type SessionStoreCacheInvalidated = z.infer<typeof SessionStoreCacheInvalidatedSchema>;
export type InvalidationReason = SessionStoreCacheInvalidated["reason"];

export const TRIPWIRE_EVENT = "session_store_cache_invalidated";
