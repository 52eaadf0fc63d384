import { resolve } from "node:path";
import { join } from "node:path";
import { defaultCacheDir } from "./cache-dir.js";
import { writeEntryModule } from "./entry-module.js";
import { fetchRelease, type Progress } from "./fetch-release.js";
import type { ReleaseLayout } from "./layout.js";
import { nodeForRelease } from "./provision-node.js";
import { parseReleaseSpec } from "./release-spec.js";

export type ResolveOptions = {
  /** The cache for releases and Node binaries (default: `defaultCacheDir()`). */
  cacheDir?: string;
  /** A Node binary for the children; overrides the one a release would get. */
  node?: string;
  /** Where progress lines go while fetching (default: stderr). */
  progress?: Progress;
};

export type ResolvedStore = {
  /** The module the gateways import (absolute path). */
  storeModule: string;
  /** The Node binary for the children; undefined: the running one. */
  nodePath?: string;
  /** Set when the store is a release: which, and how the adapter reads it. */
  release?: { version: string; layout: ReleaseLayout; engines: string; installed: string[] };
};

const toStderr: Progress = (line) => process.stderr.write(`drift-harness: ${line}\n`);

/**
 * What a `--store` value names: a module path as it is, or `openclaw@<version>` fetched into the
 * cache (no network on a hit), adapted to the contract and given a Node that satisfies its
 * `engines`. Throws a ReleaseError (one line) for a release that cannot be run.
 */
export async function resolveStoreSpec(spec: string, opts: ResolveOptions = {}): Promise<ResolvedStore> {
  const nodePath = opts.node ? resolve(opts.node) : undefined;
  const release = parseReleaseSpec(spec);
  if (!release) return { storeModule: resolve(spec), nodePath };
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const progress = opts.progress ?? toStderr;
  const cached = await fetchRelease(release.version, cacheDir, progress);
  const storeModule = writeEntryModule(cached.dir, {
    version: cached.version,
    packageDir: cached.packageDir,
    stateDir: join(cached.dir, "state"),
    layout: cached.layout,
  });
  return {
    storeModule,
    nodePath: nodePath ?? (await nodeForRelease(cached.engines, cacheDir, progress)),
    release: { version: cached.version, layout: cached.layout, engines: cached.engines, installed: cached.installed },
  };
}
