import type { PackageAdapter } from "../adapter.js";

/** `--store conf@<version>`: the mapping in runtime.ts, read against conf@5.0.0 and later. */
export const confAdapter: PackageAdapter = { name: "conf", oldestSupported: "5.0.0", runtime: "conf/runtime.js" };
