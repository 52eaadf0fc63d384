import { readStoreWithText, serializeStore } from "./read-store.js";
import { writeTextCommitted, type AtomicWriteHooks } from "./write-atomic.js";
import type { CommitOutcome } from "./commit.js";
import type { Store } from "../types.js";

/** What a load read: the store, and the exact text it was parsed from (`null`: the file is missing). */
export type LoadedStore = { store: Store; text: string | null };

/** The persistence part: how the writer path reads and writes the whole store file. */
export type Persistence = {
  /** Every load returns the text it read: a part that re-checks the file compares with it. */
  read(storePath: string): LoadedStore;
  /** Writes the store, handing its rename to `hooks.commit`, and returns what the commit said. */
  write(storePath: string, store: Store, hooks: AtomicWriteHooks<CommitOutcome>): Promise<CommitOutcome>;
};

export const atomicJsonPersistence: Persistence = {
  read: readStoreWithText,
  write: (storePath, store, hooks) => writeTextCommitted(storePath, serializeStore(store), {}, hooks),
};
