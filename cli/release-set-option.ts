import { defaultCacheDir } from "../adapters/openclaw/cache-dir.js";
import { ReleaseError } from "../adapters/openclaw/release-error.js";
import { publishedVersions } from "../matrix/published.js";
import { expandReleaseSet, parseReleaseSet, ReleaseSetError } from "../matrix/release-set.js";
import { UsageError } from "./store-option.js";

/**
 * The releases `--store openclaw@A..B` (or `openclaw@A,B`) names, in version order, checked
 * against the registry (or its answer kept in the cache). Bad input is a UsageError (exit 2).
 */
export async function releasesFor(spec: string | undefined, opts: { prereleases?: boolean; cacheDir?: string } = {}): Promise<string[]> {
  if (!spec) throw new UsageError("give the releases with --store openclaw@A..B or --store openclaw@A,B");
  try {
    const set = parseReleaseSet(spec);
    const published = await publishedVersions(opts.cacheDir ?? defaultCacheDir());
    return expandReleaseSet(set, published, opts);
  } catch (error) {
    if (error instanceof ReleaseSetError || error instanceof ReleaseError) throw new UsageError(error.message);
    throw error;
  }
}
