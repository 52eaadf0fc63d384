import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { npm } from "../openclaw/npm.js";
import { ReleaseError } from "../openclaw/release-error.js";

/**
 * Every published version of a package (`npm view <name> versions --json`), kept in the cache
 * (`<dir>/versions.json`, by default `<cache>/npm/<name>/`) and used from there when the registry
 * cannot be reached, so a matrix over cached releases runs offline.
 */
export async function publishedPackageVersions(
  name: string,
  cacheDir: string,
  dir = join(cacheDir, "npm", name),
): Promise<string[]> {
  const file = join(dir, "versions.json");
  mkdirSync(dir, { recursive: true });
  try {
    const answer = JSON.parse(await npm(["view", name, "versions", "--json"], dir)) as string[] | string;
    const versions = Array.isArray(answer) ? answer : [answer];
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
