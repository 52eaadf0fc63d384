import { fileURLToPath } from "node:url";
import type { AbsentFeature } from "../capabilities.js";
import { SQLITE_AGENT_DB, SQLITE_STATE_DB } from "../sqlite/files.js";

/** A release under the store contract, whichever kind of store it has. */
export type ReleaseStore = {
  updateSessionStore<T>(
    storePath: string,
    mutator: (store: Record<string, any>) => T | Promise<T>,
    opts?: { allowDropAcpMetaSessionKeys?: string[] },
  ): Promise<T>;
  loadSessionStore(storePath: string, opts?: { skipCache?: boolean }): Record<string, any>;
  writeTextAtomic(filePath: string, text: string, opts?: object): Promise<void>;
  runExclusiveSessionStoreWrite<T>(storePath: string, task: () => Promise<T>): Promise<T>;
  _setSessionStoreCacheInvalidatedEmitterForTest(emit: ((payload: unknown) => void) | null): void;
  clearSessionStoreCacheForTest(): void;
  knownLimitations: readonly string[];
  absentFeatures: readonly AbsentFeature[];
  /**
   * The harness's `storeCapabilities`: no release emits the tripwire; a lock-file release
   * serializes writers with `<store>.lock` and re-reads the file inside it on every write.
   */
  storeCapabilities: {
    tripwire: boolean;
    serialization: "queue" | "lock-file" | "sqlite";
    writerCache: boolean;
    /** A SQLite release's files beside the store, which the parent's snapshot reader reads. */
    storeFiles?: { kind: "sqlite"; database: string; acpDatabase: string; reader: string };
    /** Part of the message of the release's conflict error (a conflicting write fails with it and changes nothing). */
    conflictError?: string;
  };
};

/** What a SQLite release's snapshot reader reads, beside the store path. */
export const SQLITE_STORE_FILES = {
  kind: "sqlite",
  database: SQLITE_AGENT_DB,
  acpDatabase: SQLITE_STATE_DB,
  reader: fileURLToPath(new URL("../sqlite/snapshot-child.js", import.meta.url)),
} as const;
