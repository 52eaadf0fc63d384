import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, resolve } from "node:path";

/** `import … from "x"`, `import "x"`, `export … from "x"` at a statement start (not `import("x")`). */
const STATIC_IMPORT = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*${},\s]+?\s*from\s*)?["']([^"']+)["']/g;

/** `createRequire(import.meta.url)("x")`: a require the bundle runs as the module loads (e.g. semver from 2026.4.22). */
const MODULE_REQUIRE = /createRequire\(import\.meta\.url\)\(\s*["']([^"'./][^"']*)["']\s*\)/g;

const packageName = (specifier: string): string =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;

/**
 * The npm packages a module reaches through static imports, following its relative imports
 * (the files loaded the moment it is imported). Dynamic `import()`s are left out: they load
 * only when code that needs them runs. `required`: packages named by a module-level
 * `createRequire(import.meta.url)("x")` (which may also sit inside a function: installed when
 * the release lists them, never an error when it does not).
 */
export function staticPackageImports(entries: readonly string[]): {
  files: number;
  packages: string[];
  required: string[];
} {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const required = new Set<string>();
  const pending = entries.map((entry) => resolve(entry));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(MODULE_REQUIRE))
      if (!isBuiltin(match[1]!)) required.add(packageName(match[1]!));
    for (const match of source.matchAll(STATIC_IMPORT)) {
      const specifier = match[1]!;
      if (specifier.startsWith(".")) pending.push(resolve(dirname(file), specifier));
      else if (!isBuiltin(specifier)) packages.add(packageName(specifier));
    }
  }
  return {
    files: seen.size,
    packages: [...packages].sort(),
    required: [...required].filter((name) => !packages.has(name)).sort(),
  };
}
