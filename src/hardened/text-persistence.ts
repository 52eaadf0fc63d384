import { atomicJsonPersistence, type Persistence } from "../persistence/persistence.js";
import { parseStoreText } from "../persistence/read-store.js";
import { readTextOrNull } from "./disk-text.js";

/**
 * The contract's atomic JSON persistence that also hands the writer the text it loaded, so the
 * commit can tell whether the file changed before the rename.
 */
export const textPersistence: Persistence = {
  ...atomicJsonPersistence,
  readWithText(storePath) {
    const text = readTextOrNull(storePath);
    return { store: text === null ? {} : parseStoreText(storePath, text), text };
  },
};
