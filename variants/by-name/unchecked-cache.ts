/** The "unchecked-cache" broken variant as a store module, for `--store`. */
import { variantStore } from "../module.js";

export const { updateSessionStore, loadSessionStore, writeTextAtomic, runExclusiveSessionStoreWrite, _setSessionStoreCacheInvalidatedEmitterForTest, _setSessionStoreWriterCheckpointForTest, clearSessionStoreCacheForTest, knownLimitations } = variantStore("unchecked-cache");
