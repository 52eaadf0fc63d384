/**
 * What a consumer sees: `drift-harness/hardened`, the built module, through package.json
 * `exports` (needs `npm run build` first; `npm test` does it in pretest).
 */
import { expect, it } from "vitest";
import { SessionStoreCacheInvalidatedSchema } from "../../src/tripwire/payload.js";

const HARDENED: string = "drift-harness/hardened";

it("exposes the contract's exports and declares no known limitation", async () => {
  // A non-literal specifier, so typechecking does not depend on dist/ having been built.
  const mod = (await import(HARDENED)) as Record<string, unknown>;
  for (const name of ["updateSessionStore", "loadSessionStore", "writeTextAtomic", "runExclusiveSessionStoreWrite", "_setSessionStoreCacheInvalidatedEmitterForTest", "_setSessionStoreWriterCheckpointForTest", "clearSessionStoreCacheForTest"]) {
    expect(typeof mod[name], name).toBe("function");
  }
  expect(mod.knownLimitations).toEqual([]);
  expect(import.meta.resolve(HARDENED).endsWith("/dist/src/hardened.js")).toBe(true);
});

it("the payload schema takes the new reasons, and their nulls only in pairs", () => {
  const head = { schemaVersion: 1, type: "session_store_cache_invalidated", storePath: "/s/sessions.json" } as const;
  const ok = (payload: object) => SessionStoreCacheInvalidatedSchema.safeParse(payload).success;
  const stat = { expectedMtime: 1, expectedSize: 2, observedMtime: 1, observedSize: 2 };
  expect(ok({ ...head, reason: "content_mismatch", ...stat })).toBe(true);
  expect(ok({ ...head, reason: "content_mismatch", ...stat, observedMtime: null, observedSize: null })).toBe(false);
  expect(ok({ ...head, reason: "changed_since_last_write", ...stat, observedMtime: null, observedSize: null })).toBe(true);
  expect(ok({ ...head, reason: "changed_since_last_write", ...stat, expectedMtime: null, expectedSize: null })).toBe(false);
  expect(ok({ ...head, reason: "changed_since_last_write", ...stat, observedMtime: null })).toBe(false);
  expect(ok({ ...head, reason: "changed_before_rename", expectedMtime: null, expectedSize: null, observedMtime: 3, observedSize: 4 })).toBe(true);
  expect(ok({ ...head, reason: "changed_before_rename", ...stat, expectedSize: null })).toBe(false);
  expect(ok({ ...head, reason: "changed_before_rename", ...stat, extra: 1 })).toBe(false);
});
