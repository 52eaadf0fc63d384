/**
 * Runs in a gateway child: opens one fetched openclaw release and exposes its writer path
 * under the store contract. openclaw's code runs unmodified; the only additions are
 * `export { … }` lines appended to the modules that hold the writer path's bindings (their own
 * bindings, under `__drift_*` names)
 * and the environment below, which keeps openclaw's state out of `~/.openclaw`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { absentFeatures, releaseLimitations } from "../capabilities.js";
import type { ReleaseDescriptor } from "../descriptor.js";
import { installReleaseHooks } from "./release-hooks.js";
import type { ReleaseStore } from "./release-store.js";
import type { Binding, Layout, LayoutBindings } from "../layout.js";

type Writer = {
  updateSessionStore(
    storePath: string,
    mutator: (store: Record<string, any>) => unknown,
    opts?: object,
  ): Promise<unknown>;
  loadSessionStore(storePath: string, opts?: object): Record<string, any>;
  clearSessionStoreCacheForTest(): void;
  runExclusive<T>(storePath: string, task: () => Promise<T>): Promise<T>;
  writeTextAtomic?: (filePath: string, text: string, opts?: object) => Promise<void>;
};

const exportName = (key: string): string => `__drift_${key}`;

/**
 * What to append to which module: for each binding, `export { <local> as __drift_<key> }` in the
 * module that holds it. A release whose bundle dropped clearSessionStoreCacheForTest gets its
 * cache maps exported (`__drift_cache<i>`), and the adapter clears them.
 */
function appendedExports(layout: Layout): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  const add = (binding: Binding, as: string) =>
    lines.set(binding.file, [...(lines.get(binding.file) ?? []), `export { ${binding.name} as ${exportName(as)} };`]);
  for (const [key, binding] of Object.entries(layout.bindings) as [
    keyof LayoutBindings,
    LayoutBindings[keyof LayoutBindings],
  ][]) {
    if (binding === null) continue;
    if ("caches" in binding) binding.caches.forEach((cache, index) => add(cache, `cache${index}`));
    else add(binding, key);
  }
  return lines;
}

/** The writer path with its bindings exported, loaded through a load hook (Node >= 22.15). */
async function importWriter(descriptor: ReleaseDescriptor & { layout: Layout }): Promise<Writer> {
  const appended = appendedExports(descriptor.layout);
  const urlOf = installReleaseHooks(descriptor, appended);
  // The writer first: the other modules are among those it loads, so they are the same instances.
  const writerUrl = urlOf(descriptor.layout.writerFile);
  const loaded: Record<string, any> = {};
  for (const url of [writerUrl, ...[...appended.keys()].map(urlOf).filter((url) => url !== writerUrl)])
    Object.assign(loaded, await import(url));
  const clear = descriptor.layout.bindings.clearSessionStoreCacheForTest;
  const caches =
    "caches" in clear
      ? clear.caches.map((cache, index) => {
          const value = loaded[exportName(`cache${index}`)] as { clear?: unknown } | undefined;
          if (typeof value?.clear !== "function")
            throw new Error(`openclaw@${descriptor.version}: ${cache.name} in ${cache.file} has no clear()`);
          return value as { clear(): void };
        })
      : [];
  return {
    updateSessionStore: loaded[exportName("updateSessionStore")],
    loadSessionStore: loaded[exportName("loadSessionStore")],
    clearSessionStoreCacheForTest:
      "caches" in clear
        ? () => caches.forEach((cache) => cache.clear())
        : loaded[exportName("clearSessionStoreCacheForTest")],
    runExclusive: loaded[exportName("runExclusive")],
    writeTextAtomic: loaded[exportName("writeTextAtomic")],
  };
}

/** openclaw reads these at import; its log directory comes from the temp dir at import too. */
async function withReleaseEnvironment<T>(stateDir: string, load: () => Promise<T>): Promise<T> {
  const tmp = join(stateDir, "tmp");
  mkdirSync(tmp, { recursive: true });
  process.env.OPENCLAW_STATE_DIR = stateDir;
  process.env.OPENCLAW_HOME = stateDir;
  process.env.OPENCLAW_CONFIG_PATH = join(stateDir, "openclaw.json");
  const previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    return await load();
  } finally {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
  }
}

/** The release's writer path under the contract; see `absentFeatures` for what it lacks. */
export async function openRelease(descriptor: ReleaseDescriptor): Promise<ReleaseStore> {
  if (descriptor.layout.kind === "sqlite") {
    const { openSqliteRelease } = await import("./open-sqlite-release.js");
    return openSqliteRelease(descriptor, descriptor.layout);
  }
  const jsonDescriptor = { ...descriptor, layout: descriptor.layout };
  const writer = await withReleaseEnvironment(descriptor.stateDir, () => importWriter(jsonDescriptor));
  const { layout, version } = jsonDescriptor;
  return {
    // Session maintenance (pruning by updatedAt age, capping the count, the disk budget) is
    // switched off with the release's own `skipMaintenance` option: the harness's entries carry
    // step numbers as `updatedAt`, which maintenance would prune as decades old. The releases
    // without the option (up to 2026.2.9) have no maintenance and take no options at all.
    updateSessionStore: (storePath, mutator, opts) =>
      (layout.maintenanceOption
        ? writer.updateSessionStore(storePath, mutator, { ...opts, skipMaintenance: true })
        : writer.updateSessionStore(storePath, mutator)) as Promise<any>,
    loadSessionStore: (storePath, opts) => writer.loadSessionStore(storePath, { skipCache: opts?.skipCache === true }),
    writeTextAtomic: async (filePath, text, opts) => {
      if (!writer.writeTextAtomic)
        throw new Error(
          `openclaw@${version} has no writeTextAtomic: its writer writes and renames the temp file itself`,
        );
      await writer.writeTextAtomic(filePath, text, opts);
    },
    runExclusiveSessionStoreWrite: (storePath, task) => writer.runExclusive(storePath, task),
    _setSessionStoreCacheInvalidatedEmitterForTest: () => undefined,
    clearSessionStoreCacheForTest: () => writer.clearSessionStoreCacheForTest(),
    knownLimitations: releaseLimitations(layout),
    absentFeatures: absentFeatures(layout),
    storeCapabilities: {
      tripwire: false,
      serialization: layout.serialization,
      writerCache: layout.serialization !== "lock-file",
    },
  };
}
