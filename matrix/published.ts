import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { npm } from "../adapters/openclaw/npm.js";
import { ReleaseError } from "../adapters/openclaw/release-error.js";

/**
 * Every published version of openclaw (`npm view openclaw versions --json`). The answer is kept
 * in the cache (`<cache>/openclaw/versions.json`), and used from there when the registry cannot
 * be reached, so a matrix over cached releases runs offline.
 */
export async function publishedVersions(cacheDir: string): Promise<string[]> {
  const file = join(cacheDir, "openclaw", "versions.json");
  mkdirSync(cacheDir, { recursive: true });
  try {
    const versions = JSON.parse(await npm(["view", "openclaw", "versions", "--json"], cacheDir)) as string[];
    mkdirSync(join(cacheDir, "openclaw"), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(versions)}\n`);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return versions;
  } catch (error) {
    if (!(error instanceof ReleaseError && error.kind === "offline")) throw error;
    try {
      return JSON.parse(readFileSync(file, "utf8")) as string[];
    } catch {
      throw error;
    }
  }
}
