import { fileURLToPath } from "node:url";
import type { StoreModule } from "../../../harness/actors/store-module.js";
import type { AbsentFeature } from "../capabilities.js";
import { SQLITE_AGENT_DB, SQLITE_STATE_DB } from "../sqlite/files.js";

type Capabilities = NonNullable<StoreModule["storeCapabilities"]>;

/**
 * A release under the store contract, whichever kind of store it has: a store module (the
 * harness's `StoreModule`) that always says what it lacks and what it is. No release emits the
 * tripwire; a lock-file release serializes writers with `<store>.lock` and re-reads the file
 * inside it on every write; a SQLite release names its files and its conflict error.
 */
export type ReleaseStore = Omit<
  StoreModule,
  "knownLimitations" | "absentFeatures" | "storeCapabilities" | "_setSessionStoreWriterCheckpointForTest"
> & {
  knownLimitations: readonly string[];
  absentFeatures: readonly AbsentFeature[];
  storeCapabilities: Required<Pick<Capabilities, "tripwire" | "serialization" | "writerCache">> &
    Pick<Capabilities, "storeFiles" | "conflictError">;
};

/** What a SQLite release's snapshot reader reads, beside the store path. */
export const SQLITE_STORE_FILES = {
  kind: "sqlite",
  database: SQLITE_AGENT_DB,
  acpDatabase: SQLITE_STATE_DB,
  reader: fileURLToPath(new URL("../sqlite/snapshot-child.js", import.meta.url)),
} as const;
