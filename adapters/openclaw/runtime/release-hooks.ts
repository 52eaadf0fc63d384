/**
 * The one module hook a release is loaded through (in a gateway child, Node >= 22.15). It does
 * two things, and changes no code of the release:
 *
 * - appends `export { … }` lines to the modules that hold the bindings the adapter calls;
 * - resolves the release's own relative imports (`./chunk-abc.js` from a file of its `dist/`)
 *   as Node would, without reading its package.json again for each of them. openclaw's
 *   package.json is about 130 KB, and Node parses its `exports` to find each file's module
 *   format: with 500 to 800 chunks in a store's closure that was a third of the import
 *   (2026.8.1: 1.7 s to 1.1 s measured). The package is `"type": "module"`, checked here,
 *   so every `.js` file under it is ESM; a specifier the shortcut does not cover goes to Node.
 */
import { readFileSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

type LoadResult = { format?: string; source?: string | ArrayBuffer | ArrayBufferView; shortCircuit?: boolean };
type ResolveResult = { url: string; format?: string; shortCircuit?: boolean };
type Context = { parentURL?: string };
type RegisterHooks = (hooks: {
  resolve: (specifier: string, context: Context, next: (s: string, c: Context) => ResolveResult) => ResolveResult;
  load: (url: string, context: object, next: (url: string, context: object) => LoadResult) => LoadResult;
}) => unknown;

/** What to append, by file of the package (`dist/…`), one `export { … }` line each. */
export type AppendedExports = ReadonlyMap<string, readonly string[]>;

function registerHooksOrThrow(version: string): RegisterHooks {
  const registerHooks = (module as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof registerHooks !== "function")
    throw new Error(
      `openclaw@${version}: the adapter needs module.registerHooks (Node >= 22.15), this child runs Node ${process.version}`,
    );
  return registerHooks;
}

function isModulePackage(packageDir: string): boolean {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { type?: unknown };
  return manifest.type === "module";
}

const appendLines = (source: LoadResult["source"], lines: readonly string[]): string => {
  const text = typeof source === "string" ? source : new TextDecoder().decode(source as ArrayBuffer);
  return `${text}\n${lines.join("\n")}\n`;
};

/** Installs the hook; returns the URL of each package file, as the hook and `import()` see it. */
export function installReleaseHooks(
  release: { version: string; packageDir: string },
  appended: AppendedExports,
): (file: string) => string {
  const urlOf = (file: string) => pathToFileURL(join(release.packageDir, file)).href;
  const byUrl = new Map([...appended].map(([file, lines]) => [urlOf(file), lines]));
  const own = pathToFileURL(join(release.packageDir, "dist")).href + "/";
  const shortcut = isModulePackage(release.packageDir);
  registerHooksOrThrow(release.version)({
    resolve(specifier, context, next) {
      const parent = context.parentURL;
      if (shortcut && parent?.startsWith(own) && /^\.\.?\//.test(specifier) && /\.m?js$/.test(specifier)) {
        const url = new URL(specifier, parent).href;
        if (url.startsWith(own)) return { url, format: "module", shortCircuit: true };
      }
      return next(specifier, context);
    },
    load(url, context, next) {
      const loaded = next(url, context);
      const lines = byUrl.get(url);
      return lines ? { ...loaded, source: appendLines(loaded.source, lines) } : loaded;
    },
  });
  return urlOf;
}
