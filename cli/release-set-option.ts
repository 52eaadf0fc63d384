import { defaultCacheDir } from "../adapters/openclaw/cache-dir.js";
import { ReleaseError } from "../adapters/openclaw/release-error.js";
import { publishedPackageVersions } from "../adapters/npm-package/published.js";
import { publishedVersions } from "../matrix/published.js";
import { expandReleaseSet, parseReleaseSet, ReleaseSetError, setPackages } from "../matrix/release-set.js";
import { STORE_RESOLVERS } from "../adapters/registry.js";
import { UsageError } from "./store-option.js";

/**
 * The releases `--store openclaw@A..B` (or `openclaw@A,B`, `conf@8.0.0..10.0.0`, `conf@16.0.0,lowdb@7.0.1`) names, in version order, checked
 * against the registry (or its answer kept in the cache). Bad input is a UsageError (exit 2).
 */
export async function releasesFor(
  spec: string | undefined,
  opts: { prereleases?: boolean; cacheDir?: string } = {},
): Promise<string[]> {
  if (!spec) throw new UsageError("give the releases with --store openclaw@A..B or --store openclaw@A,B");
  try {
    const set = parseReleaseSet(spec);
    const cacheDir = opts.cacheDir ?? defaultCacheDir();
    const published = new Map<string, string[]>();
    for (const name of setPackages(set)) {
      if (!STORE_RESOLVERS.has(name))
        throw new UsageError(
          `--store ${spec}: ${name} is not a package the harness has an adapter for (${[...STORE_RESOLVERS.keys()].join(", ")})`,
        );
      published.set(
        name,
        name === "openclaw" ? await publishedVersions(cacheDir) : await publishedPackageVersions(name, cacheDir),
      );
    }
    return expandReleaseSet(set, published, opts);
  } catch (error) {
    if (error instanceof ReleaseSetError || error instanceof ReleaseError) throw new UsageError(error.message);
    throw error;
  }
}
