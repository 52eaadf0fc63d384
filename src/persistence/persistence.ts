import { readStoreFile, serializeStore } from "./read-store.js";
import { writeTextAtomic, type AtomicWriteHooks } from "./write-atomic.js";
import type { Store } from "../types.js";

/** The persistence part: how the writer path reads and writes the whole store file. */
export type Persistence = {
  read(storePath: string): Store;
  write(storePath: string, store: Store, hooks: AtomicWriteHooks): Promise<void>;
};

export const atomicJsonPersistence: Persistence = {
  read: readStoreFile,
  write: (storePath, store, hooks) => writeTextAtomic(storePath, serializeStore(store), {}, hooks),
};
