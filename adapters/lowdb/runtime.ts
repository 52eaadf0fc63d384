/**
 * lowdb in a gateway child, writing through its own steno. `Low` keeps the data in memory
 * (`db.data`); `read()` replaces it with the file's, and from 6.0.0 keeps it when the file is
 * missing (`if (data) this.data = data`); `write()` hands the JSON to steno's `Writer`, which writes
 * `.<file>.tmp` beside the store and renames it over the file (`node:fs/promises`).
 */
import type { OpenPackageStore, PackageCapabilities } from "../adapter.js";
import { contractStore, COMMON_ABSENT } from "../npm-package/contract-store.js";
import { namingThePath, withPath } from "../npm-package/package-error.js";
import type { Mutator, StoreData, StoreFile } from "../npm-package/store-file.js";

type Low = { data: StoreData; read(): Promise<void>; write(): Promise<void> };
type LowModule = { Low: new (adapter: unknown, defaults: StoreData) => Low };
type NodeAdapters = {
  JSONFile: new (path: string) => unknown;
  JSONFileSync: new (path: string) => { read(): StoreData | null };
};

export function lowdbCapabilities(): PackageCapabilities {
  return {
    // The adapter's queue: lowdb's users await each write; steno itself coalesces writes of one Writer.
    serialization: "queue",
    // Each operation starts with `read()`, as a user who expects another process must.
    writerCache: false,
    tripwire: false,
    tempFile: ".<file>.tmp beside the store, one fixed name for every writer (steno)",
    absent: COMMON_ABSENT,
    knownLimitations: ["mid-flight-drift", "empty-cache-bypass"],
  };
}

/** One operation as lowdb's users write it when another process may write too: `await db.read()`, change `db.data`, `await db.write()`. */
function openFile(lowdb: LowModule, node: NodeAdapters, storePath: string): StoreFile {
  // Built directly, not with JSONFilePreset: that switches to memory when NODE_ENV=test.
  const db = new lowdb.Low(new node.JSONFile(storePath), {});
  const reader = new node.JSONFileSync(storePath);
  return {
    async write<T>(mutate: Mutator<T>): Promise<T> {
      await db.read().catch((error: unknown) => Promise.reject(withPath(storePath, error)));
      // Before 6.0.0 `read()` sets `data` to null for a missing file and the README has users write
      // `db.data ||= { … }`; from 6.0.0 the defaults are the constructor's and `read()` keeps `data`.
      db.data ??= {};
      const value = await mutate(db.data);
      await db.write();
      return value;
    },
    read: () => namingThePath(storePath, () => reader.read() ?? {}),
  };
}

export const openStore: OpenPackageStore = async (load) => {
  const lowdb = (await load("lowdb")) as unknown as LowModule;
  // `lowdb/node` from 5.0.0; before, the file adapters came from `lowdb` itself.
  const node = ((await load("lowdb/node").catch(() => undefined)) ?? lowdb) as unknown as NodeAdapters;
  return contractStore((storePath) => openFile(lowdb, node, storePath), lowdbCapabilities());
};
