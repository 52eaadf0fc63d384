import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultStoreModule } from "../paths.js";
import type { StoreFiles } from "../protocol.js";

/** The contract's exports, as the harness sees a store module it was handed. */
export type StoreModule = {
  updateSessionStore<T>(
    storePath: string,
    mutator: (store: Record<string, any>) => T | Promise<T>,
    opts?: { allowDropAcpMetaSessionKeys?: string[] },
  ): Promise<T>;
  loadSessionStore(storePath: string, opts?: { skipCache?: boolean }): Record<string, any>;
  writeTextAtomic(filePath: string, text: string, opts?: object): Promise<void>;
  runExclusiveSessionStoreWrite<T>(storePath: string, task: () => Promise<T>): Promise<T>;
  _setSessionStoreCacheInvalidatedEmitterForTest(emit: ((payload: unknown) => void) | null): void;
  _setSessionStoreWriterCheckpointForTest?: (
    hook: ((checkpoint: "after-load" | "before-rename", storePath: string) => void | Promise<void>) | null,
  ) => void;
  clearSessionStoreCacheForTest(): void;
  knownLimitations?: readonly string[];
  /** Optional: what the store lacks, e.g. `{ feature: "tripwire", reason: "…" }` (an adapted release). */
  absentFeatures?: readonly { feature: string; reason: string }[];
  /** What the store has that the contract cannot assume of a release (see Capabilities). */
  storeCapabilities?: {
    tripwire?: boolean;
    serialization?: "queue" | "lock-file" | "sqlite";
    writerCache?: boolean;
    storeFiles?: StoreFiles;
    conflictError?: string;
  };
};

export const REQUIRED_EXPORTS = [
  "updateSessionStore",
  "loadSessionStore",
  "writeTextAtomic",
  "runExclusiveSessionStoreWrite",
  "_setSessionStoreCacheInvalidatedEmitterForTest",
  "clearSessionStoreCacheForTest",
] as const;

/** A store module that does not meet the contract: names the module and what is missing. */
export class ContractError extends Error {
  override readonly name = "ContractError";
}

/**
 * Imports a store module by path and checks every required export is a function. A *parts
 * module* (one that exports `storeParts` and no `updateSessionStore`, e.g. `dist/src/hardened.js`
 * or a broken variant) is our own store with those parts swapped: `store.js?parts=<its URL>`.
 */
export async function importStoreModule(modulePath: string): Promise<StoreModule> {
  const absolute = isAbsolute(modulePath) ? modulePath : resolve(modulePath);
  let loaded = await importOrExplain(pathToFileURL(absolute).href, absolute);
  if (loaded.updateSessionStore === undefined && loaded.storeParts !== undefined) {
    const assembled = `${pathToFileURL(defaultStoreModule).href}?parts=${encodeURIComponent(pathToFileURL(absolute).href)}`;
    loaded = await importOrExplain(assembled, absolute);
  }
  const missing = REQUIRED_EXPORTS.filter((name) => typeof loaded[name] !== "function");
  if (missing.length > 0) {
    throw new ContractError(
      `store module ${absolute} does not meet the contract: missing export(s) ${missing.join(", ")}`,
    );
  }
  const checkpoint = loaded._setSessionStoreWriterCheckpointForTest;
  if (checkpoint !== undefined && typeof checkpoint !== "function") {
    throw new ContractError(`store module ${absolute}: _setSessionStoreWriterCheckpointForTest is not a function`);
  }
  const limitations = loaded.knownLimitations;
  if (limitations !== undefined && !(Array.isArray(limitations) && limitations.every((id) => typeof id === "string"))) {
    throw new ContractError(`store module ${absolute}: knownLimitations must be an array of limitation ids`);
  }
  const absent = loaded.absentFeatures;
  if (
    absent !== undefined &&
    !(
      Array.isArray(absent) &&
      absent.every((item) => typeof item?.feature === "string" && typeof item?.reason === "string")
    )
  ) {
    throw new ContractError(`store module ${absolute}: absentFeatures must be an array of { feature, reason }`);
  }
  const declared = loaded.storeCapabilities as
    | { tripwire?: unknown; serialization?: unknown; writerCache?: unknown }
    | null
    | undefined;
  const flag = (value: unknown) => [undefined, true, false].includes(value as never);
  if (
    declared !== undefined &&
    !(
      typeof declared === "object" &&
      declared !== null &&
      flag(declared.tripwire) &&
      flag(declared.writerCache) &&
      [undefined, "queue", "lock-file", "sqlite"].includes(declared.serialization as never)
    )
  ) {
    throw new ContractError(
      `store module ${absolute}: storeCapabilities must be an object whose tripwire and writerCache, if given, are true or false, and whose serialization, if given, is "queue", "lock-file" or "sqlite"`,
    );
  }
  return loaded as unknown as StoreModule;
}

async function importOrExplain(url: string, absolute: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new ContractError(`cannot import store module ${absolute}: ${(error as Error).message}`);
  }
}
