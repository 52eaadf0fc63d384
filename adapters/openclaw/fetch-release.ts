import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { detectLayout, LAYOUT_VERSION, type ReleaseLayout } from "./layout.js";
import { npm } from "./npm.js";
import { ReleaseError } from "./release-error.js";
import { buildInPlace } from "./staged-dir.js";
import { ModuleGraph } from "./module-graph.js";

/** A release in the cache: extracted, its writer's npm imports installed beside it. */
export type CachedRelease = {
  version: string;
  /** `<cache>/openclaw/<version>`: holds `package/`, `node_modules/`, `release.json`. */
  dir: string;
  packageDir: string;
  engines: string;
  layout: ReleaseLayout;
  /** The npm packages the writer's static imports reach, as installed (`name@range`). */
  installed: string[];
};

/**
 * Kept in `release.json`. The layout is not: it is kept beside it per detector (`layout-<hash>.json`,
 * the hash of the built layout module), so an adapter never trusts another one's reading.
 */
type Manifest = Omit<CachedRelease, "dir" | "packageDir" | "layout"> & { layoutVersion?: number };

/**
 * A release that cannot be run is remembered as such (without its files), so asking again needs
 * no download; with the adapter's `LAYOUT_VERSION` (absent: 1), so a newer adapter, which may
 * know its layout, fetches and reads it again.
 */
type Unsupported = {
  version: string;
  layoutVersion?: number;
  unsupported: { kind: "no-json-store" | "unknown-layout"; message: string };
};

/** The layout module's hash (built, or the source under vitest): which detector read a cached layout. */
const DETECTOR = createHash("sha256")
  .update(readFileSync(fileURLToPath(import.meta.url).replace(/fetch-release\.(ts|js)$/, "layout.$1")))
  .digest("hex")
  .slice(0, 12);

/** Whether `release.json` says unsupported by an adapter older than this one. */
function staleUnsupported(manifestFile: string): boolean {
  if (!existsSync(manifestFile)) return false;
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest | Unsupported;
  return "unsupported" in manifest && (manifest.layoutVersion ?? 1) < LAYOUT_VERSION;
}

export type Progress = (line: string) => void;

/**
 * The release from the cache, or fetched with `npm pack` (no network on a cache hit). Throws a
 * ReleaseError when it does not exist, has no JSON session store or an unknown layout.
 */
export async function fetchRelease(version: string, cacheDir: string, progress: Progress): Promise<CachedRelease> {
  const dir = join(cacheDir, "openclaw", version);
  const manifestFile = join(dir, "release.json");
  if (staleUnsupported(manifestFile)) {
    // Set aside, then removed: a concurrent process that set it aside first leaves nothing to move.
    const aside = join(cacheDir, "openclaw", `.stale-${version}-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      renameSync(dir, aside);
      progress(
        `openclaw@${version}: the cache says unsupported by an older adapter (layout version < ${LAYOUT_VERSION}); fetching it again`,
      );
    } catch {
      // already moved by another process
    }
    rmSync(aside, { recursive: true, force: true });
  }
  if (!existsSync(manifestFile)) {
    await buildInPlace(dir, async (staging) => {
      progress(`openclaw@${version}: fetching with npm pack into ${dir}`);
      const packed = JSON.parse(
        await npm(["pack", `openclaw@${version}`, "--json", "--pack-destination", staging], staging).catch(
          (error: unknown) => {
            if (error instanceof ReleaseError && error.kind === "missing")
              throw new ReleaseError(
                "missing",
                `openclaw@${version} does not exist on the npm registry (${error.message})`,
              );
            if (error instanceof ReleaseError && error.kind === "offline")
              throw new ReleaseError(
                "offline",
                `openclaw@${version} is not in the cache (${cacheDir}) and ${error.message}`,
              );
            throw error;
          },
        ),
      ) as { filename: string; size: number }[];
      const tarball = join(staging, packed[0]!.filename);
      progress(`openclaw@${version}: extracting ${(packed[0]!.size / 1e6).toFixed(1)} MB`);
      await execa("tar", ["xzf", tarball, "-C", staging]);
      await execa("rm", ["-f", tarball]);
      const manifest = await prepare(version, staging, progress).catch((error: unknown): Unsupported => {
        if (!(error instanceof ReleaseError) || (error.kind !== "no-json-store" && error.kind !== "unknown-layout"))
          throw error;
        rmSync(join(staging, "package"), { recursive: true, force: true });
        return { version, layoutVersion: LAYOUT_VERSION, unsupported: { kind: error.kind, message: error.message } };
      });
      writeFileSync(join(staging, "release.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    });
  }
  let manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest | Unsupported;
  if ("unsupported" in manifest) throw new ReleaseError(manifest.unsupported.kind, manifest.unsupported.message);
  const packageDir = join(dir, "package");
  const layout = cachedLayout(version, dir, packageDir);
  if ((manifest.layoutVersion ?? 1) < LAYOUT_VERSION)
    manifest = await refreshInstalled(manifest, dir, layout, progress);
  const { layoutVersion: _, ...release } = manifest;
  return { ...release, dir, packageDir, layout };
}

/** The layout this detector read before (`layout-<hash>.json`), else read now and kept (detection reads every chunk: seconds). */
function cachedLayout(version: string, dir: string, packageDir: string): ReleaseLayout {
  const file = join(dir, `layout-${DETECTOR}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as ReleaseLayout;
  const layout = layoutOf(version, packageDir);
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, `${JSON.stringify(layout, null, 2)}\n`);
  renameSync(staging, file);
  return layout;
}

function layoutOf(version: string, packageDir: string): ReleaseLayout {
  const found = detectLayout(packageDir);
  if (found.kind === "unknown")
    throw new ReleaseError(
      "unknown-layout",
      `openclaw@${version} has a layout the adapter does not know: ${found.reason}`,
    );
  return found.layout;
}

/** The modules the adapter imports: the writer, and for a SQLite release its ACP metadata module too. */
const entryFiles = (dir: string, layout: ReleaseLayout): string[] =>
  [layout.writerFile, ...(layout.kind === "sqlite" ? [layout.acpFile] : [])].map((file) => join(dir, "package", file));

type ReleasePackage = {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

/** The packages the writer's module graph loads (`name@range`, at the release's own ranges), installed into `dir/node_modules`. */
async function installWriterPackages(
  version: string,
  dir: string,
  layout: ReleaseLayout,
  progress: Progress,
): Promise<string[]> {
  const pkg = JSON.parse(readFileSync(join(dir, "package", "package.json"), "utf8")) as ReleasePackage;
  const { packages, required, files } = new ModuleGraph().packageImports(entryFiles(dir, layout));
  const ranges = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
  const unlisted = packages.filter((name) => !ranges[name]);
  if (unlisted.length > 0) {
    throw new ReleaseError(
      "unknown-layout",
      `openclaw@${version}: ${layout.writerFile} imports ${unlisted.join(", ")}, which its package.json does not list`,
    );
  }
  const installed = [...packages, ...required.filter((name) => ranges[name])]
    .sort()
    .map((name) => `${name}@${ranges[name]}`);
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ private: true, description: `the npm packages openclaw@${version}'s session store imports` }, null, 2)}\n`,
  );
  if (installed.length > 0) {
    progress(
      `openclaw@${version}: ${layout.writerFile} reaches ${files} files and imports ${installed.join(" ")}; installing those`,
    );
    await npm(["install", "--no-save", "--no-package-lock", "--ignore-scripts", ...installed], dir);
  }
  return installed;
}

/**
 * A release an older adapter prepared may lack packages this one knows the writer loads (the
 * module-level requires, from LAYOUT_VERSION 3): installs what is missing, in place, and records it.
 */
async function refreshInstalled(
  manifest: Manifest,
  dir: string,
  layout: ReleaseLayout,
  progress: Progress,
): Promise<Manifest> {
  const pkg = JSON.parse(readFileSync(join(dir, "package", "package.json"), "utf8")) as ReleasePackage;
  const ranges = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
  const { packages, required } = new ModuleGraph().packageImports(entryFiles(dir, layout));
  const needed = [...packages, ...required.filter((name) => ranges[name])]
    .sort()
    .map((name) => `${name}@${ranges[name]}`);
  const missing = needed.filter((spec) => !manifest.installed.includes(spec));
  // npm install prunes what it is not told to install: name every package, not just the missing ones.
  if (missing.length > 0) {
    progress(
      `openclaw@${manifest.version}: installing ${missing.join(" ")}, which the writer loads and an older adapter did not install`,
    );
    await npm(
      ["install", "--no-save", "--no-package-lock", "--ignore-scripts", ...new Set([...manifest.installed, ...needed])],
      dir,
    );
  }
  const refreshed: Manifest = {
    ...manifest,
    installed: [...new Set([...manifest.installed, ...needed])].sort(),
    layoutVersion: LAYOUT_VERSION,
  };
  const file = join(dir, "release.json");
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(refreshed, null, 2)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
  return refreshed;
}

/** Finds the writer path and installs only the packages its static imports reach, at the release's ranges. */
async function prepare(version: string, dir: string, progress: Progress): Promise<Manifest> {
  const packageDir = join(dir, "package");
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as ReleasePackage;
  const layout = layoutOf(version, packageDir);
  writeFileSync(join(dir, `layout-${DETECTOR}.json`), `${JSON.stringify(layout, null, 2)}\n`);
  const installed = await installWriterPackages(version, dir, layout, progress);
  return { version, engines: pkg.engines?.node ?? "*", installed, layoutVersion: LAYOUT_VERSION };
}
