import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { detectLayout, type Layout } from "./layout.js";
import { npm } from "./npm.js";
import { ReleaseError } from "./release-error.js";
import { buildInPlace } from "./staged-dir.js";
import { staticPackageImports } from "./static-imports.js";

/** A release in the cache: extracted, its writer's npm imports installed beside it. */
export type CachedRelease = {
  version: string;
  /** `<cache>/openclaw/<version>`: holds `package/`, `node_modules/`, `release.json`. */
  dir: string;
  packageDir: string;
  engines: string;
  layout: Layout;
  /** The npm packages the writer's static imports reach, as installed (`name@range`). */
  installed: string[];
};

/** Kept in `release.json`; the layout is read again on every use, so a newer adapter never trusts an older one's reading. */
type Manifest = Omit<CachedRelease, "dir" | "packageDir" | "layout">;

/** A release that cannot be run is remembered as such (without its files), so asking again needs no download. */
type Unsupported = { version: string; unsupported: { kind: "no-json-store" | "unknown-layout"; message: string } };

export type Progress = (line: string) => void;

/**
 * The release from the cache, or fetched with `npm pack` (no network on a cache hit). Throws a
 * ReleaseError when it does not exist, has no JSON session store or an unknown layout.
 */
export async function fetchRelease(version: string, cacheDir: string, progress: Progress): Promise<CachedRelease> {
  const dir = join(cacheDir, "openclaw", version);
  const manifestFile = join(dir, "release.json");
  if (!existsSync(manifestFile)) {
    await buildInPlace(dir, async (staging) => {
      progress(`openclaw@${version}: fetching with npm pack into ${dir}`);
      const packed = JSON.parse(await npm(["pack", `openclaw@${version}`, "--json", "--pack-destination", staging], staging).catch((error: unknown) => {
        if (error instanceof ReleaseError && error.kind === "missing") throw new ReleaseError("missing", `openclaw@${version} does not exist on the npm registry (${error.message})`);
        if (error instanceof ReleaseError && error.kind === "offline") throw new ReleaseError("offline", `openclaw@${version} is not in the cache (${cacheDir}) and ${error.message}`);
        throw error;
      })) as { filename: string; size: number }[];
      const tarball = join(staging, packed[0]!.filename);
      progress(`openclaw@${version}: extracting ${(packed[0]!.size / 1e6).toFixed(1)} MB`);
      await execa("tar", ["xzf", tarball, "-C", staging]);
      await execa("rm", ["-f", tarball]);
      const manifest = await prepare(version, staging, progress).catch((error: unknown): Unsupported => {
        if (!(error instanceof ReleaseError) || (error.kind !== "no-json-store" && error.kind !== "unknown-layout")) throw error;
        rmSync(join(staging, "package"), { recursive: true, force: true });
        return { version, unsupported: { kind: error.kind, message: error.message } };
      });
      writeFileSync(join(staging, "release.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    });
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest | Unsupported;
  if ("unsupported" in manifest) throw new ReleaseError(manifest.unsupported.kind, manifest.unsupported.message);
  const packageDir = join(dir, "package");
  return { ...manifest, dir, packageDir, layout: layoutOf(version, packageDir) };
}

function layoutOf(version: string, packageDir: string): Layout {
  const found = detectLayout(packageDir);
  if (found.kind === "sqlite") throw new ReleaseError("no-json-store", `openclaw@${version} has no JSON session store: ${found.reason}`);
  if (found.kind === "unknown") throw new ReleaseError("unknown-layout", `openclaw@${version} has a layout the adapter does not know: ${found.reason}`);
  return found.layout;
}

/** Finds the writer path and installs only the packages its static imports reach, at the release's ranges. */
async function prepare(version: string, dir: string, progress: Progress): Promise<Manifest> {
  const packageDir = join(dir, "package");
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    engines?: { node?: string };
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const layout = layoutOf(version, packageDir);
  const { packages, files } = staticPackageImports([join(packageDir, layout.writerFile)]);
  const ranges = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
  const unlisted = packages.filter((name) => !ranges[name]);
  if (unlisted.length > 0) {
    throw new ReleaseError("unknown-layout", `openclaw@${version}: ${layout.writerFile} imports ${unlisted.join(", ")}, which its package.json does not list`);
  }
  const installed = packages.map((name) => `${name}@${ranges[name]}`);
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ private: true, description: `the npm packages openclaw@${version}'s session store imports` }, null, 2)}\n`);
  if (installed.length > 0) {
    progress(`openclaw@${version}: ${layout.writerFile} reaches ${files} files and imports ${installed.join(" ")}; installing those`);
    await npm(["install", "--no-save", "--no-package-lock", "--ignore-scripts", ...installed], dir);
  }
  return { version, engines: pkg.engines?.node ?? "*", installed };
}
