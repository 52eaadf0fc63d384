import type { PackageAdapter } from "../adapter.js";

/** `--store configstore@<version>`: the mapping in runtime.ts, read against configstore@5.0.0 and later. */
export const configstoreAdapter: PackageAdapter = {
  name: "configstore",
  oldestSupported: "5.0.0",
  runtime: "configstore/runtime.js",
};
