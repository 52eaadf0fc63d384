import { beforeAll, type TestContext } from "vitest";
import { ReleaseError } from "../../adapters/openclaw/release-error.js";
import type { ResolvedStore } from "../../adapters/openclaw/resolve-release.js";
import { resolveStoreSpec } from "../../adapters/registry.js";

/**
 * A package release (`conf@16.0.0`) from the harness's own cache, fetched once across runs of
 * the suite. Without the network and without the cache the tests skip with one line, except
 * under CI=true, where they fail.
 */
export function usePackage(spec: string): (ctx: TestContext) => ResolvedStore {
  let resolved: ResolvedStore | undefined;
  let unavailable: string | undefined;
  beforeAll(async () => {
    try {
      resolved = await resolveStoreSpec(spec, { progress: (line) => process.stderr.write(`  ${line}\n`) });
    } catch (error) {
      if (!(error instanceof ReleaseError) || error.kind !== "offline" || process.env.CI === "true") throw error;
      unavailable = error.message;
      process.stderr.write(`skipped: ${spec} tests: ${unavailable}\n`);
    }
  }, 300_000);
  return (ctx) => {
    if (unavailable !== undefined) ctx.skip(unavailable);
    if (!resolved) throw new Error(`${spec} was not resolved`);
    return resolved;
  };
}
