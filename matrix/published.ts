import { join } from "node:path";
import { publishedPackageVersions } from "../adapters/npm-package/published.js";

/** Every published version of openclaw, kept in `<cache>/openclaw/versions.json` (see publishedPackageVersions). */
export const publishedVersions = (cacheDir: string): Promise<string[]> =>
  publishedPackageVersions("openclaw", cacheDir, join(cacheDir, "openclaw"));
