/**
 * configstore in a gateway child. Every call reads the file (`get all()`: `readFileSync` and
 * `JSON.parse`) and every change writes it whole through its atomic writer (`set all()`), so a
 * `set` is read, `setProperty`, write in one synchronous call: no writer cache, no lock.
 */
import type { OpenPackageStore, PackageCapabilities } from "../adapter.js";
import { contractStore, COMMON_ABSENT } from "../npm-package/contract-store.js";
import { defaultClass } from "../npm-package/default-export.js";
import { dotPathCall } from "../npm-package/dot-path.js";
import { namingThePath, withPath } from "../npm-package/package-error.js";
import { isThenable, type Mutator, type StoreData, type StoreFile } from "../npm-package/store-file.js";

type Configstore = { all: StoreData; set(values: Record<string, unknown>): void; delete(path: string): void };

const major = (version: string): number => Number(version.split(".")[0]);

export function configstoreCapabilities(version: string): PackageCapabilities {
  return {
    serialization: "queue",
    writerCache: false,
    tripwire: false,
    // write-file-atomic up to 6.x, atomically from 7.0.0 (package.json dependencies).
    tempFile:
      major(version) >= 7
        ? "<file>.tmp-<10 digits><6 hex> beside the store (atomically)"
        : "<file>.<murmurhash> beside the store (write-file-atomic)",
    absent: COMMON_ABSENT,
    knownLimitations: ["mid-flight-drift", "empty-cache-bypass"],
  };
}

/**
 * One operation as configstore's users write it: `set({ "a.note": v, "a.updatedAt": t })`,
 * `set({ a: entry })` or `delete("a")`, each of which reads the file itself. A writer the
 * harness holds between its read and its write (the mutator returned a promise) stands for a
 * user who read `all`, awaited something, and wrote `all` back: `set` would read again.
 */
function openFile(Configstore: new (...args: any[]) => Configstore, storePath: string): StoreFile {
  const config = new Configstore("drift-harness", undefined, { configPath: storePath });
  return {
    async write<T>(mutate: Mutator<T>): Promise<T> {
      const before = namingThePath(storePath, () => config.all);
      const draft = structuredClone(before);
      const returned = mutate(draft);
      if (isThenable(returned)) {
        const value = await returned;
        config.all = draft;
        return value;
      }
      const call = dotPathCall(before, draft);
      namingThePath(storePath, () => {
        if (call.kind === "set") config.set(call.values);
        else if (call.kind === "delete") config.delete(call.path);
        else config.all = draft;
      });
      return returned;
    },
    read: () => namingThePath(storePath, () => config.all),
  };
}

export const openStore: OpenPackageStore = async (load, target) => {
  const Configstore = defaultClass(await load("configstore"), `configstore@${target.version}`) as new (
    ...args: any[]
  ) => Configstore;
  return contractStore((storePath) => {
    try {
      return openFile(Configstore, storePath);
    } catch (error) {
      throw withPath(storePath, error);
    }
  }, configstoreCapabilities(target.version));
};
