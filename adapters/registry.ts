import type { PackageAdapter } from "./adapter.js";
import { confAdapter } from "./conf/adapter.js";
import { configstoreAdapter } from "./configstore/adapter.js";
import { lowdbAdapter } from "./lowdb/adapter.js";
import { resolvePackage } from "./npm-package/resolve-package.js";
import {
  resolveStoreSpec as resolveOpenclaw,
  type ResolvedStore,
  type ResolveOptions,
} from "./openclaw/resolve-release.js";

/** How one package's `<name>@<version>` becomes a store module the gateways import. */
export type StoreResolver = (version: string, opts: ResolveOptions) => Promise<ResolvedStore>;

/** The npm packages behind the one adapter interface (adapters/adapter.ts); docs/adapters.md adds one. */
export const PACKAGE_ADAPTERS: readonly PackageAdapter[] = [configstoreAdapter, confAdapter, lowdbAdapter];

/** Every package `--store <name>@<version>` can name, keyed by name: openclaw's releases, and the package adapters. */
export const STORE_RESOLVERS: ReadonlyMap<string, StoreResolver> = new Map<string, StoreResolver>([
  ["openclaw", (version, opts) => resolveOpenclaw(`openclaw@${version}`, opts)],
  ...PACKAGE_ADAPTERS.map((adapter): [string, StoreResolver] => [
    adapter.name,
    (version, opts) => resolvePackage(adapter, version, opts),
  ]),
]);

/** `<name>@<version>` of a registered package, or undefined (a module path). */
export function parseStoreSpec(spec: string): { name: string; version: string } | undefined {
  const at = spec.indexOf("@", 1);
  if (at < 0) return undefined;
  const name = spec.slice(0, at);
  return STORE_RESOLVERS.has(name) ? { name, version: spec.slice(at + 1) } : undefined;
}

export const isReleaseSpec = (spec: string): boolean => parseStoreSpec(spec) !== undefined;

/** A `--store` value: a registered package's release, fetched and adapted, or a module path as it is. */
export async function resolveStoreSpec(spec: string, opts: ResolveOptions = {}): Promise<ResolvedStore> {
  const release = parseStoreSpec(spec);
  if (!release) return resolveOpenclaw(spec, opts);
  return STORE_RESOLVERS.get(release.name)!(release.version, opts);
}
