import type { PackageAdapter } from "../adapter.js";

/** `--store lowdb@<version>`: the mapping in runtime.ts, read against lowdb@3.0.0 and later. */
export const lowdbAdapter: PackageAdapter = { name: "lowdb", oldestSupported: "3.0.0", runtime: "lowdb/runtime.js" };
