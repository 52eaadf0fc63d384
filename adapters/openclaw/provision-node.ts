import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { candidateMajors, satisfies } from "./engines.js";
import type { Progress } from "./fetch-release.js";
import { npm } from "./npm.js";
import { ReleaseError } from "./release-error.js";
import { buildInPlace } from "./staged-dir.js";

/** The adapter's load hook needs `module.registerHooks`. */
export const ADAPTER_NODE_RANGE = ">=22.15.0";

const fits = (version: string, engines: string, adapterRange: string): boolean =>
  satisfies(version, engines) && satisfies(version, adapterRange);

/**
 * A Node binary for the children that satisfies the release's `engines.node` and the adapter:
 * undefined when the running Node does, else the `node@<major>` npm package in the cache
 * (`<cache>/node/<major>`), installed on first use.
 */
export async function nodeForRelease(
  engines: string,
  cacheDir: string,
  progress: Progress,
  adapterRange = ADAPTER_NODE_RANGE,
): Promise<string | undefined> {
  if (fits(process.version, engines, adapterRange)) return undefined;
  const majors = candidateMajors(engines).filter((major) => satisfies(`${major}.999.999`, adapterRange));
  for (const major of majors) {
    const dir = join(cacheDir, "node", String(major));
    const binary = join(dir, "node_modules", "node", "bin", "node");
    if (!existsSync(binary)) {
      await buildInPlace(dir, async (staging) => {
        progress(`node@${major}: installing into ${dir} (this Node, ${process.version}, does not satisfy ${engines})`);
        await npm(["install", "--no-save", "--no-package-lock", "--prefix", staging, `node@${major}`], staging);
      });
    }
    const version = (await execa(binary, ["--version"])).stdout.trim();
    if (fits(version, engines, adapterRange)) return binary;
    progress(`node@${major}: ${version} does not satisfy ${engines} and ${adapterRange}`);
  }
  throw new ReleaseError(
    "install-failed",
    `no node@<major> package satisfies engines.node ${engines} and ${adapterRange}: pass --node <path>`,
  );
}
