/**
 * What a consumer sees: the built package, imported by its own name through package.json
 * `exports`. Needs `npm run build` first (`npm test` does it in pretest).
 */
import { expect, it } from "vitest";

const PACKAGE: string = "drift-harness";

const contractFunctions = [
  "updateSessionStore",
  "loadSessionStore",
  "writeTextAtomic",
  "runExclusiveSessionStoreWrite",
  "_setSessionStoreCacheInvalidatedEmitterForTest",
  "_setSessionStoreWriterCheckpointForTest",
  "clearSessionStoreCacheForTest",
] as const;

it("exposes every export the contract lists", async () => {
  // A non-literal specifier, so typechecking does not depend on dist/ having been built.
  const mod = (await import(PACKAGE)) as Record<string, unknown>;
  for (const name of contractFunctions) {
    expect(typeof mod[name], name).toBe("function");
  }
  expect(mod.knownLimitations).toEqual(["mid-flight-drift", "empty-cache-bypass", "coarse-mtime"]);
});

it("is the built file, not the TypeScript source", async () => {
  const resolved = import.meta.resolve(PACKAGE);
  expect(resolved.endsWith("/dist/src/index.js")).toBe(true);
});
