import type { AdaptedStore, PackageCapabilities } from "../adapter.js";
import type { StoreFile } from "./store-file.js";

/**
 * The store contract's exports over a package, given how to open one store file with it. The
 * package keeps no cache the harness could clear: `clearSessionStoreCacheForTest` drops the
 * opened files (the package's objects), so the next run opens them afresh, as a restarted
 * process would. Writers of one path run one after another (`serialization: "queue"`): these
 * packages' users await each write, and a synchronous package cannot interleave its own.
 */
export function contractStore(open: (storePath: string) => StoreFile, capabilities: PackageCapabilities): AdaptedStore {
  const files = new Map<string, StoreFile>();
  const tails = new Map<string, Promise<unknown>>();
  const fileFor = (storePath: string): StoreFile => {
    let file = files.get(storePath);
    if (!file) {
      file = open(storePath);
      files.set(storePath, file);
    }
    return file;
  };
  const exclusive = <T>(storePath: string, task: () => Promise<T>): Promise<T> => {
    const run = (tails.get(storePath) ?? Promise.resolve()).then(task);
    // A task that throws must not stall the ones behind it.
    tails.set(
      storePath,
      run.catch(() => undefined),
    );
    return run;
  };
  return {
    updateSessionStore: (storePath, mutator) => exclusive(storePath, () => fileFor(storePath).write(mutator)),
    loadSessionStore: (storePath) => fileFor(storePath).read(),
    writeTextAtomic: () =>
      Promise.reject(
        new Error(
          "the package writes its temp file and renames it inside its own write: it has no writeTextAtomic of the contract's",
        ),
      ),
    runExclusiveSessionStoreWrite: exclusive,
    _setSessionStoreCacheInvalidatedEmitterForTest: () => undefined,
    clearSessionStoreCacheForTest: () => {
      files.clear();
      tails.clear();
    },
    knownLimitations: capabilities.knownLimitations,
    absentFeatures: capabilities.absent,
    storeCapabilities: {
      tripwire: false,
      serialization: capabilities.serialization,
      writerCache: capabilities.writerCache,
    },
    tempFile: capabilities.tempFile,
  };
}

/** What every one of these packages lacks of the contract, whatever its version. */
export const COMMON_ABSENT = [
  { feature: "tripwire", reason: "the package has no cache-invalidated event: there is nothing to receive" },
  {
    feature: "checkpoint-hook",
    reason: "the package has no writer checkpoint hook: its writers are held at the file-system boundary",
  },
  {
    feature: "writeTextAtomic",
    reason: "the package writes its temp file and renames it inside its own write; writeTextAtomic rejects",
  },
  {
    feature: "acp-preservation",
    reason: "the package keeps no snapshot of the entries' acp: a change that strips it is written as it is",
  },
  {
    feature: "cross-process-lock",
    reason: "nothing serializes writers of two processes: each reads, changes and renames on its own",
  },
];
