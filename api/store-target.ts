import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ReleaseError } from "../adapters/openclaw/release-error.js";
import { isReleaseSpec, resolveStoreSpec } from "../adapters/registry.js";
import { defaultStoreModule, projectRoot } from "../harness/paths.js";
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
      const release = await resolveStoreSpec(text, {
        ...(opts.node ? { node: opts.node } : {}),
        ...(opts.progress ? { progress: opts.progress } : {}),
      });
      return { storeModule: release.storeModule, nodePath: release.nodePath, label: text };
    } catch (error) {
      if (error instanceof ReleaseError) throw new UsageError(error.message);
      throw error;
    }
  }
  const storeModule = text === undefined ? defaultStoreModule : modulePath(text);
  if (!existsSync(storeModule)) throw new UsageError(`store module ${storeModule} does not exist`);
  // Printed commands name the store as the user gave it.
  return { storeModule, nodePath, label: text ?? storeModule };
}

function modulePath(text: string): string {
  const own = ownExport(text);
  if (own !== undefined) return own;
  if (text.startsWith("file:"))
    return withParts(fileURLToPath(text.split("?")[0]!), new URL(text).searchParams.get("parts"));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new UsageError(
      `store ${text}: only file: URLs, paths and <package>@<version> (openclaw, configstore, conf, lowdb) name a store`,
    );
  const [path, query] = text.split("?", 2) as [string, string | undefined];
  return withParts(resolve(path), query === undefined ? null : new URLSearchParams(query).get("parts"));
}

/**
 * `drift-harness` and `drift-harness/<subpath>`: this package's own exports, as a consumer
 * imports them (`drift-harness/hardened` is the store module with the hardened parts on its URL).
 */
function ownExport(text: string): string | undefined {
  if (text !== "drift-harness" && !text.startsWith("drift-harness/")) return undefined;
  const subpath = text === "drift-harness" ? "." : `./${text.slice("drift-harness/".length)}`;
  const exports = (
    JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
      exports: Record<string, { default?: string }>;
    }
  ).exports;
  const target = exports[subpath]?.default;
  if (target === undefined)
    throw new UsageError(
      `store ${text}: drift-harness exports no ${subpath} (it exports ${Object.keys(exports).join(", ")})`,
    );
  return modulePath(join(projectRoot, target));
}

/**
 * A store module named with the `?parts=<parts module>` query of our store's URL: the parts
 * module, which the harness assembles with our store as that URL would. The query means nothing
 * on any other module.
 */
function withParts(path: string, parts: string | null): string {
  if (parts === null) return path;
  if (path !== defaultStoreModule)
    throw new UsageError(`store ${path}?parts=${parts}: only ${defaultStoreModule} takes a parts query`);
  return parts.startsWith("file:") ? fileURLToPath(parts) : resolve(dirname(path), parts);
}
