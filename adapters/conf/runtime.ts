/**
 * conf in a gateway child. `set` and `delete` read the file (`get store()` up to 15.x,
 * `#readStore()` from 16: "Read from the file instead of the cache so that changes made by
 * another process are not lost when writing") and write it whole through the atomic writer, in
 * one synchronous call: no writer cache, no lock. The `cache` and `watch` options (16) are left
 * off, as by default.
 */
import { basename, dirname, extname } from "node:path";
import type { OpenPackageStore, PackageCapabilities } from "../adapter.js";
import { contractStore, COMMON_ABSENT } from "../npm-package/contract-store.js";
import { defaultClass } from "../npm-package/default-export.js";
import { dotPathCall } from "../npm-package/dot-path.js";
import { namingThePath, withPath } from "../npm-package/package-error.js";
import { isThenable, type Mutator, type StoreData, type StoreFile } from "../npm-package/store-file.js";

type Conf = { store: StoreData; set(values: Record<string, unknown>): void; delete(path: string): void };

const major = (version: string): number => Number(version.split(".")[0]);

export function confCapabilities(version: string): PackageCapabilities {
  // `clearInvalidConfig` defaults to true up to 8.x (a file that fails to parse reads as {} and the
  // next write replaces it), false from 9.0.0: not declared, since unparseable-refused judges it.
  return {
    serialization: "queue",
    writerCache: false,
    tripwire: false,
    // write-file-atomic up to 7.x, atomically from 8.0.0 (package.json dependencies).
    tempFile:
      major(version) >= 8
        ? "<file>.tmp-<10 digits><6 hex> beside the store (atomically)"
        : "<file>.<murmurhash> beside the store (write-file-atomic)",
    absent: COMMON_ABSENT,
    knownLimitations: ["mid-flight-drift", "empty-cache-bypass"],
  };
}

/**
 * One operation as conf's users write it: `set({ "a.note": v, "a.updatedAt": t })`,
 * `set({ a: entry })` or `delete("a")`. A writer held between its read and its write (the
 * mutator returned a promise) stands for a user who read `store`, awaited, and assigned `store`.
 */
function openFile(Conf: new (options: object) => Conf, storePath: string): StoreFile {
  const extension = extname(storePath);
  const conf = new Conf({
    cwd: dirname(storePath),
    configName: basename(storePath, extension),
    fileExtension: extension.slice(1),
    projectName: "drift-harness",
  });
  return {
    async write<T>(mutate: Mutator<T>): Promise<T> {
      const before = namingThePath(storePath, () => conf.store);
      const draft = structuredClone(before);
      const returned = mutate(draft);
      if (isThenable(returned)) {
        const value = await returned;
        conf.store = draft;
        return value;
      }
      const call = dotPathCall(before, draft);
      namingThePath(storePath, () => {
        if (call.kind === "set") conf.set(call.values);
        else if (call.kind === "delete") conf.delete(call.path);
        else conf.store = draft;
      });
      return returned;
    },
    read: () => namingThePath(storePath, () => conf.store),
  };
}

export const openStore: OpenPackageStore = async (load, target) => {
  const Conf = defaultClass(await load("conf"), `conf@${target.version}`) as new (options: object) => Conf;
  return contractStore((storePath) => {
    try {
      return openFile(Conf, storePath);
    } catch (error) {
      throw withPath(storePath, error);
    }
  }, confCapabilities(target.version));
};
