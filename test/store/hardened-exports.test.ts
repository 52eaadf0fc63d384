/**
 * What a consumer sees: `drift-harness/hardened`, the built module, through package.json
 * `exports` (needs `npm run build` first; `npm test` does it in pretest).
 */
import { execa } from "execa";
import { expect, it } from "vitest";
import { projectRoot } from "../../harness/paths.js";
import { SessionStoreCacheInvalidatedSchema } from "../../src/tripwire/payload.js";

const HARDENED: string = "drift-harness/hardened";

it("exposes the contract's exports and declares no known limitation, in plain Node", async () => {
  // The subpath is the default store's module with `?parts=./hardened.js` on its URL. Plain Node
  // keeps the query (this project's own vitest inlines the self-reference and drops it; a
  // consumer's vitest runs the installed package in Node, which test/examples checks).
  const script = `const mod = await import(${JSON.stringify(HARDENED)}); process.stdout.write(JSON.stringify({ url: import.meta.resolve(${JSON.stringify(HARDENED)}), limitations: mod.knownLimitations, functions: Object.keys(mod).filter((name) => typeof mod[name] === "function") }));`;
  const ran = await execa(process.execPath, ["--input-type=module", "-e", script], { cwd: projectRoot });
  const seen = JSON.parse(ran.stdout) as { url: string; limitations: string[]; functions: string[] };
  for (const name of [
    "updateSessionStore",
    "loadSessionStore",
    "writeTextAtomic",
    "runExclusiveSessionStoreWrite",
    "_setSessionStoreCacheInvalidatedEmitterForTest",
    "_setSessionStoreWriterCheckpointForTest",
    "clearSessionStoreCacheForTest",
  ]) {
    expect(seen.functions, name).toContain(name);
  }
  expect(seen.limitations).toEqual([]);
  expect(seen.url.endsWith("/dist/src/store.js?parts=./hardened.js")).toBe(true);
});

it("the payload schema takes the new reasons, and their nulls only in pairs", () => {
  const head = { schemaVersion: 1, type: "session_store_cache_invalidated", storePath: "/s/sessions.json" } as const;
  const ok = (payload: object) => SessionStoreCacheInvalidatedSchema.safeParse(payload).success;
  const stat = { expectedMtime: 1, expectedSize: 2, observedMtime: 1, observedSize: 2 };
  expect(ok({ ...head, reason: "content_mismatch", ...stat })).toBe(true);
  expect(ok({ ...head, reason: "content_mismatch", ...stat, observedMtime: null, observedSize: null })).toBe(false);
  expect(ok({ ...head, reason: "changed_since_last_write", ...stat, observedMtime: null, observedSize: null })).toBe(
    true,
  );
  expect(ok({ ...head, reason: "changed_since_last_write", ...stat, expectedMtime: null, expectedSize: null })).toBe(
    false,
  );
  expect(ok({ ...head, reason: "changed_since_last_write", ...stat, observedMtime: null })).toBe(false);
  expect(
    ok({
      ...head,
      reason: "changed_before_rename",
      expectedMtime: null,
      expectedSize: null,
      observedMtime: 3,
      observedSize: 4,
    }),
  ).toBe(true);
  expect(ok({ ...head, reason: "changed_before_rename", ...stat, expectedSize: null })).toBe(false);
  expect(ok({ ...head, reason: "changed_before_rename", ...stat, extra: 1 })).toBe(false);
});
