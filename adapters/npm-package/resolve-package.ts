import { join } from "node:path";
import type { PackageAdapter } from "../adapter.js";
import { defaultCacheDir } from "../openclaw/cache-dir.js";
import { parseVersion } from "../openclaw/engines.js";
import { nodeForRelease } from "../openclaw/provision-node.js";
import { ReleaseError } from "../openclaw/release-error.js";
import type { ResolvedStore, ResolveOptions } from "../openclaw/resolve-release.js";
import { writePackageEntryModule } from "./entry-module.js";
import { fetchPackage } from "./fetch-package.js";
import { publishedPackageVersions } from "./published.js";

/** The runtimes use `structuredClone` and private fields: Node 20 and later, like the harness. */
const RUNTIME_NODE_RANGE = ">=20";

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
/** `16` or `16.0`: the newest published release of that line, asked of the registry each time. */
const LINE = /^\d+(?:\.\d+)?$/;

async function newestOfLine(name: string, line: string, cacheDir: string): Promise<string> {
  const prefix = `${line}.`;
  const matching = (await publishedPackageVersions(name, cacheDir)).filter(
    (v) => v.startsWith(prefix) && !v.includes("-"),
  );
  const newest = matching.sort((a, b) => (older(a, b) ? -1 : older(b, a) ? 1 : 0)).at(-1);
  if (!newest)
    throw new ReleaseError("missing", `${name}@${line}: no release of that line is published on the npm registry`);
  return newest;
}

const older = (a: string, b: string): boolean => {
  const [x, y] = [parseVersion(a)!, parseVersion(b)!];
  return (x[0] - y[0] || x[1] - y[1] || x[2] - y[2]) < 0;
};

/**
 * `<name>@<version>` of a package adapter (or `<name>@<major>`: its newest release): fetched into the cache (no network on a hit), its
 * entry module written beside it, and a Node for the children that satisfies its `engines`.
 */
export async function resolvePackage(
  adapter: PackageAdapter,
  asked: string,
  opts: ResolveOptions = {},
): Promise<ResolvedStore> {
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const version = LINE.test(asked) ? await newestOfLine(adapter.name, asked, cacheDir) : asked;
  const spec = `${adapter.name}@${version}`;
  if (!EXACT_VERSION.test(version))
    throw new ReleaseError(
      "missing",
      `${spec}: give an exact published version, e.g. ${adapter.name}@${adapter.oldestSupported}`,
    );
  if (older(version, adapter.oldestSupported)) {
    throw new ReleaseError(
      "unknown-layout",
      `${spec}: the adapter's mapping was read against ${adapter.name}@${adapter.oldestSupported} and later; an older release is not guessed at`,
    );
  }
  const progress = opts.progress ?? ((line: string) => process.stderr.write(`drift-harness: ${line}\n`));
  const cached = await fetchPackage(adapter.name, version, cacheDir, progress);
  const storeModule = writePackageEntryModule(cached.dir, adapter, { name: adapter.name, version });
  const nodePath = opts.node ?? (await nodeForRelease(cached.engines, cacheDir, progress, RUNTIME_NODE_RANGE));
  return { storeModule, ...(nodePath ? { nodePath } : {}) };
}

/** Where a package release's tarball is extracted in the cache (for reading its code). */
export const packageDirOf = (cacheDir: string, name: string, version: string): string =>
  join(cacheDir, "npm", name, version, "package");
