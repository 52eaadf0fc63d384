import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultStoreModule } from "../harness/paths.js";
import { UsageError } from "./errors.js";

/**
 * What to explore: a store module meeting the contract, as a path (relative to the working
 * directory) or a `file:` URL (e.g. `new URL("./store.js", import.meta.url)`); our own store
 * when absent.
 */
export type StoreSpec = string | URL;

/** Where the children run: the module they import and the Node they run on. */
export type StoreTarget = { storeModule: string; nodePath?: string };

export type TargetOptions = { store?: StoreSpec; node?: string };

/** Resolves `store` and `node`, checked: a missing module or Node binary is a UsageError naming it. */
export async function resolveStoreTarget(opts: TargetOptions): Promise<StoreTarget> {
  const storeModule = opts.store === undefined ? defaultStoreModule : modulePath(opts.store);
  if (!existsSync(storeModule)) throw new UsageError(`store module ${storeModule} does not exist`);
  if (opts.node && !existsSync(opts.node)) throw new UsageError(`node ${opts.node} does not exist`);
  return { storeModule, nodePath: opts.node ? resolve(opts.node) : undefined };
}

function modulePath(store: StoreSpec): string {
  const text = store instanceof URL ? store.href : store;
  if (text.startsWith("file:")) return fileURLToPath(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new UsageError(`store ${text}: only file: URLs and paths name a store module`);
  return resolve(text);
}
