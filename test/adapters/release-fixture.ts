import { beforeAll, type TestContext } from "vitest";
import { ReleaseError } from "../../adapters/openclaw/release-error.js";
import { resolveStoreSpec, type ResolvedStore } from "../../adapters/openclaw/resolve-release.js";

/**
 * A pinned release, from the harness's own cache (`$DRIFT_HARNESS_CACHE` or the default), so the
 * download happens once across runs of the suite. Without the network and without the cache the
 * tests skip with one line, except under CI=true, where they fail.
 */
export function useRelease(version: string): (ctx: TestContext) => ResolvedStore {
  let resolved: ResolvedStore | undefined;
  let unavailable: string | undefined;
  beforeAll(async () => {
    try {
      resolved = await resolveStoreSpec(`openclaw@${version}`, {
        progress: (line) => process.stderr.write(`  ${line}\n`),
      });
    } catch (error) {
      if (!(error instanceof ReleaseError) || error.kind !== "offline" || process.env.CI === "true") throw error;
      unavailable = error.message;
      process.stderr.write(`skipped: openclaw@${version} tests: ${unavailable}\n`);
    }
  }, 300_000);
  return (ctx) => {
    if (unavailable !== undefined) ctx.skip(unavailable);
    if (!resolved) throw new Error(`openclaw@${version} was not resolved`);
    return resolved;
  };
}
