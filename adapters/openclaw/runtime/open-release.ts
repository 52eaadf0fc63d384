/**
 * Runs in a gateway child: opens one fetched openclaw release and exposes its writer path
 * under the store contract. openclaw's code runs unmodified; the only additions are an
 * `export { … }` appended to the writer module (its own bindings, under `__drift_*` names)
 * and the environment below, which keeps openclaw's state out of `~/.openclaw`.
 */
import { mkdirSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { absentFeatures, releaseLimitations, type AbsentFeature } from "../capabilities.js";
import type { ReleaseDescriptor } from "../descriptor.js";
import type { LayoutBindings } from "../layout.js";

type Writer = {
  updateSessionStore(storePath: string, mutator: (store: Record<string, any>) => unknown, opts?: object): Promise<unknown>;
  loadSessionStore(storePath: string, opts?: object): Record<string, any>;
  clearSessionStoreCacheForTest(): void;
  runExclusive<T>(storePath: string, task: () => Promise<T>): Promise<T>;
  writeTextAtomic?: (filePath: string, text: string, opts?: object) => Promise<void>;
};

type LoadResult = { format?: string; source?: string | ArrayBuffer | ArrayBufferView; shortCircuit?: boolean };
type RegisterHooks = (hooks: { load: (url: string, context: object, next: (url: string, context: object) => LoadResult) => LoadResult }) => unknown;

const exportName = (key: keyof LayoutBindings): string => `__drift_${key}`;

function appendExports(source: LoadResult["source"], line: string): string {
  const text = typeof source === "string" ? source : new TextDecoder().decode(source as ArrayBuffer);
  return `${text}\n${line}\n`;
}

/** The writer module with its bindings exported, loaded through a load hook (Node >= 22.15). */
async function importWriter(descriptor: ReleaseDescriptor): Promise<Writer> {
  const registerHooks = (module as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof registerHooks !== "function") {
    throw new Error(`openclaw@${descriptor.version}: the adapter needs module.registerHooks (Node >= 22.15), this child runs Node ${process.version}`);
  }
  const writerUrl = pathToFileURL(join(descriptor.packageDir, descriptor.layout.writerFile)).href;
  const bindings = Object.entries(descriptor.layout.bindings).filter((entry): entry is [keyof LayoutBindings, string] => entry[1] !== null);
  const line = `export { ${bindings.map(([key, name]) => `${name} as ${exportName(key)}`).join(", ")} };`;
  registerHooks({
    load(url, context, next) {
      const loaded = next(url, context);
      return url === writerUrl ? { ...loaded, source: appendExports(loaded.source, line) } : loaded;
    },
  });
  const loaded = (await import(writerUrl)) as Record<string, any>;
  return {
    updateSessionStore: loaded[exportName("updateSessionStore")],
    loadSessionStore: loaded[exportName("loadSessionStore")],
    clearSessionStoreCacheForTest: loaded[exportName("clearSessionStoreCacheForTest")],
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

export type ReleaseStore = {
  updateSessionStore<T>(storePath: string, mutator: (store: Record<string, any>) => T | Promise<T>, opts?: { allowDropAcpMetaSessionKeys?: string[] }): Promise<T>;
  loadSessionStore(storePath: string, opts?: { skipCache?: boolean }): Record<string, any>;
  writeTextAtomic(filePath: string, text: string, opts?: object): Promise<void>;
  runExclusiveSessionStoreWrite<T>(storePath: string, task: () => Promise<T>): Promise<T>;
  _setSessionStoreCacheInvalidatedEmitterForTest(emit: ((payload: unknown) => void) | null): void;
  clearSessionStoreCacheForTest(): void;
  knownLimitations: readonly string[];
  absentFeatures: readonly AbsentFeature[];
  /**
   * The harness's `storeCapabilities`: no release emits the tripwire; a lock-file release
   * serializes writers with `<store>.lock` and re-reads the file inside it on every write.
   */
  storeCapabilities: { tripwire: boolean; serialization: "queue" | "lock-file"; writerCache: boolean };
};

/** The release's writer path under the contract; see `absentFeatures` for what it lacks. */
export async function openRelease(descriptor: ReleaseDescriptor): Promise<ReleaseStore> {
  const writer = await withReleaseEnvironment(descriptor.stateDir, () => importWriter(descriptor));
  const { layout, version } = descriptor;
  return {
    // Session maintenance (pruning by updatedAt age, capping the count, the disk budget) is
    // switched off with the release's own `skipMaintenance` option: the harness's entries carry
    // step numbers as `updatedAt`, which maintenance would prune as decades old.
    updateSessionStore: (storePath, mutator, opts) =>
      (layout.kind === "bundled" ? writer.updateSessionStore(storePath, mutator, { ...opts, skipMaintenance: true }) : writer.updateSessionStore(storePath, mutator)) as Promise<any>,
    loadSessionStore: (storePath, opts) => writer.loadSessionStore(storePath, { skipCache: opts?.skipCache === true }),
    writeTextAtomic: async (filePath, text, opts) => {
      if (!writer.writeTextAtomic) throw new Error(`openclaw@${version} has no writeTextAtomic: its writer writes and renames the temp file itself`);
      await writer.writeTextAtomic(filePath, text, opts);
    },
    runExclusiveSessionStoreWrite: (storePath, task) => writer.runExclusive(storePath, task),
    _setSessionStoreCacheInvalidatedEmitterForTest: () => undefined,
    clearSessionStoreCacheForTest: () => writer.clearSessionStoreCacheForTest(),
    knownLimitations: releaseLimitations(layout),
    absentFeatures: absentFeatures(layout),
    storeCapabilities: { tripwire: false, serialization: layout.serialization, writerCache: layout.serialization !== "lock-file" },
  };
}
