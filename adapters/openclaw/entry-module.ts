import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { distDir } from "../../harness/paths.js";
import { writeStoreEntryModule } from "../entry-module.js";
import type { ReleaseDescriptor } from "./descriptor.js";

/** Children run compiled code only (no loader), like the actor scripts: the built runtime, even from a test. */
const RUNTIME = pathToFileURL(join(distDir, "adapters", "openclaw", "runtime", "open-release.js")).href;

/** Writes the store module the gateways import for one release: it opens the release through this build's adapter. */
export const writeEntryModule = (releaseDir: string, descriptor: ReleaseDescriptor): string =>
  writeStoreEntryModule(
    releaseDir,
    `openclaw@${descriptor.version}`,
    RUNTIME,
    "openRelease",
    `openRelease(${JSON.stringify(descriptor)})`,
  );
