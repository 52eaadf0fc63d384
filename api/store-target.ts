import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ReleaseError } from "../adapters/openclaw/release-error.js";
import { isReleaseSpec, resolveStoreSpec } from "../adapters/registry.js";
import { defaultStoreModule } from "../harness/paths.js";
import { UsageError } from "./errors.js";

/**
 * What to explore: a store module meeting the contract, as a path (relative to the working
 * directory) or a `file:` URL (e.g. `new URL("./store.js", import.meta.url)`), or a released
 * store, `<package>@<version>` (openclaw, configstore, conf, lowdb; `conf@16`: the line's newest),
 * fetched into the cache and driven through its adapter; our own store when absent.
 */
export type StoreSpec = string | URL;

/** Where the children run: the module they import, the Node they run on, and how to name it. */
export type StoreTarget = { storeModule: string; nodePath?: string; label: string };

export type TargetOptions = {
  store?: StoreSpec;
  /** A Node binary for the children (default: this one, or one that satisfies a release's engines). */
  node?: string;
  /** Where progress lines go while a release is fetched (default: stderr). */
  progress?: (line: string) => void;
};

/**
 * Resolves `store` and `node`, checked: a missing module or Node binary, or a release that
 * does not exist or cannot be adapted, is a UsageError naming it.
 */
export async function resolveStoreTarget(opts: TargetOptions): Promise<StoreTarget> {
  if (opts.node && !existsSync(opts.node)) throw new UsageError(`node ${opts.node} does not exist`);
  const nodePath = opts.node ? resolve(opts.node) : undefined;
  const text = opts.store === undefined ? undefined : opts.store instanceof URL ? opts.store.href : opts.store;
  if (text !== undefined && isReleaseSpec(text)) {
    try {
      const release = await resolveStoreSpec(text, { ...(opts.node ? { node: opts.node } : {}), ...(opts.progress ? { progress: opts.progress } : {}) });
      return { storeModule: release.storeModule, nodePath: release.nodePath, label: text };
    } catch (error) {
      if (error instanceof ReleaseError) throw new UsageError(error.message);
      throw error;
    }
  }
  const storeModule = text === undefined ? defaultStoreModule : modulePath(text);
  if (!existsSync(storeModule)) throw new UsageError(`store module ${storeModule} does not exist`);
  return { storeModule, nodePath, label: storeModule };
}

function modulePath(text: string): string {
  if (text.startsWith("file:")) return fileURLToPath(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new UsageError(`store ${text}: only file: URLs, paths and <package>@<version> (openclaw, configstore, conf, lowdb) name a store`);
  return resolve(text);
}
