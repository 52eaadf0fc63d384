import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import type { Progress } from "../openclaw/fetch-release.js";
import { npm } from "../openclaw/npm.js";
import { ReleaseError } from "../openclaw/release-error.js";
import { buildInPlace } from "../openclaw/staged-dir.js";

/** A release of an npm package in the cache: its packed tarball, and it installed with its own dependencies. */
export type CachedPackage = {
  name: string;
  version: string;
  /** `<cache>/npm/<name>/<version>`: holds `<name>-<version>.tgz`, `package/` (the tarball extracted, to read), `node_modules/`. */
  dir: string;
  /** The extracted tarball: the code the docs' locations point into. */
  packageDir: string;
  engines: string;
};

/**
 * The release from the cache, or fetched: `npm pack` (the tarball kept and extracted, so its
 * code can be read), then `npm install --ignore-scripts` of that tarball, which brings its
 * dependencies at its own ranges (lowdb its own steno). No network on a cache hit.
 */
export async function fetchPackage(
  name: string,
  version: string,
  cacheDir: string,
  progress: Progress,
): Promise<CachedPackage> {
  const dir = join(cacheDir, "npm", name, version);
  const manifest = join(dir, "release.json");
  if (!existsSync(manifest)) {
    await buildInPlace(dir, async (staging) => {
      progress(`${name}@${version}: fetching with npm pack into ${dir}`);
      const packed = JSON.parse(
        await npm(["pack", `${name}@${version}`, "--json", "--pack-destination", staging], staging).catch(
          (error: unknown) => {
            if (error instanceof ReleaseError && error.kind === "missing")
              throw new ReleaseError(
                "missing",
                `${name}@${version} does not exist on the npm registry (${error.message})`,
              );
            if (error instanceof ReleaseError && error.kind === "offline")
              throw new ReleaseError(
                "offline",
                `${name}@${version} is not in the cache (${cacheDir}) and ${error.message}`,
              );
            throw error;
          },
        ),
      ) as { filename: string }[];
      const tarball = packed[0]!.filename;
      await execa("tar", ["xzf", tarball, "-C", staging], { cwd: staging });
      writeFileSync(
        join(staging, "package.json"),
        `${JSON.stringify({ private: true, description: `${name}@${version} and its dependencies, for drift-harness` }, null, 2)}\n`,
      );
      progress(`${name}@${version}: installing it with its dependencies`);
      await npm(
        ["install", "--no-save", "--no-package-lock", "--ignore-scripts", "--omit=dev", `./${tarball}`],
        staging,
      );
      const pkg = JSON.parse(readFileSync(join(staging, "package", "package.json"), "utf8")) as {
        engines?: { node?: string };
      };
      writeFileSync(
        join(staging, "release.json"),
        `${JSON.stringify({ name, version, engines: pkg.engines?.node ?? "*", installed: readdirSync(join(staging, "node_modules")).sort() }, null, 2)}\n`,
      );
    });
  }
  const { engines } = JSON.parse(readFileSync(manifest, "utf8")) as { engines: string };
  return { name, version, dir, packageDir: join(dir, "package"), engines };
}
