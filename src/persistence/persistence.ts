import { readStoreFile, serializeStore } from "./read-store.js";
import { writeTextAtomic, type AtomicWriteHooks } from "./write-atomic.js";
import type { Store } from "../types.js";

/** The persistence part: how the writer path reads and writes the whole store file. */
export type Persistence = {
  read(storePath: string): Store;
  /**
   * Optional: the store together with the exact text it was parsed from (`null`: the file is
   * missing). A writer path that re-checks the file before its rename needs what it loaded.
   */
  readWithText?(storePath: string): { store: Store; text: string | null };
  write(storePath: string, store: Store, hooks: AtomicWriteHooks): Promise<void>;
};

export const atomicJsonPersistence: Persistence = {
  read: readStoreFile,
  write: (storePath, store, hooks) => writeTextAtomic(storePath, serializeStore(store), {}, hooks),
};
