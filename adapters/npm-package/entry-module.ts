import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { distDir } from "../../harness/paths.js";
import type { PackageAdapter, PackageTarget } from "../adapter.js";
import { writeStoreEntryModule } from "../entry-module.js";

/**
 * Writes the store module the gateways import for one package release, beside its
 * `node_modules`, so that the `import()` it hands the runtime resolves to the fetched release.
 */
export function writePackageEntryModule(dir: string, adapter: PackageAdapter, target: PackageTarget): string {
  // Children run compiled code only: the built runtime, even from a test.
  const runtime = pathToFileURL(join(distDir, "adapters", adapter.runtime)).href;
  return writeStoreEntryModule(
    dir,
    `${target.name}@${target.version}`,
    runtime,
    "openStore",
    `openStore((specifier) => import(specifier), ${JSON.stringify(target)})`,
  );
}
