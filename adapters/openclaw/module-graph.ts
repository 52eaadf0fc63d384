import { existsSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, resolve } from "node:path";

/** `import … from "x"`, `import "x"`, `export … from "x"` at a statement start (not `import("x")`). */
const STATIC_IMPORT = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*${},\s]+?\s*from\s*)?["']([^"']+)["']/g;

/** `createRequire(import.meta.url)("x")`: a require the bundle runs as the module loads (e.g. semver from 2026.4.22). */
const MODULE_REQUIRE = /createRequire\(import\.meta\.url\)\(\s*["']([^"'./][^"']*)["']\s*\)/g;

/** `import { a as b, c } from "./x.js"`. */
const NAMED_IMPORT = /(?:^|[;\n])\s*import\s*\{([^}]*)\}\s*from\s*["'](\.[^"']+)["']/g;

/** `export { a as b, c }` (not a re-export `… from`). */
const LOCAL_EXPORT = /(?:^|[;\n])\s*export\s*\{([^}]*)\}\s*(?!\s*from)/g;

const packageName = (specifier: string): string =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;

/** `a as b, c` → [[a, b], [c, c]]. */
const specifierList = (list: string): [string, string][] =>
  list.split(",").flatMap((specifier) => {
    const parts = specifier.trim().split(/\s+as\s+/);
    return parts[0] ? [[parts[0].trim(), (parts[1] ?? parts[0]).trim()] as [string, string]] : [];
  });

/**
 * The static module graph of a built package, read from its files: the one place that parses
 * import and export specifiers. Each file is read and scanned for imports once; a file that does
 * not exist reads as empty.
 * Paths are absolute.
 */
export class ModuleGraph {
  private readonly sources = new Map<string, string>();
  private readonly imports = new Map<string, string[]>();

  source(file: string): string {
    let text = this.sources.get(file);
    if (text === undefined) {
      text = existsSync(file) ? readFileSync(file, "utf8") : "";
      this.sources.set(file, text);
    }
    return text;
  }

  /** Every static import specifier of `file`, in source order. */
  specifiers(file: string): string[] {
    let found = this.imports.get(file);
    if (found === undefined) {
      found = [...this.source(file).matchAll(STATIC_IMPORT)].map((match) => match[1]!);
      this.imports.set(file, found);
    }
    return found;
  }

  /** The files `entries` load with them: their relative static imports, transitively (the entries first). */
  closure(entries: string | readonly string[]): string[] {
    const seen = new Set<string>();
    const pending = (typeof entries === "string" ? [entries] : entries).map((entry) => resolve(entry));
    while (pending.length > 0) {
      const file = pending.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of this.specifiers(file))
        if (specifier.startsWith(".")) pending.push(resolve(dirname(file), specifier));
    }
    return [...seen];
  }

  /**
   * The npm packages `entries` reach through static imports, following their relative imports
   * (the files loaded the moment they are imported). Dynamic `import()`s are left out: they load
   * only when code that needs them runs. `required`: packages named by a module-level
   * `createRequire(import.meta.url)("x")` (which may also sit inside a function: installed when
   * the release lists them, never an error when it does not).
   */
  packageImports(entries: readonly string[]): { files: number; packages: string[]; required: string[] } {
    const files = this.closure(entries);
    const packages = new Set<string>();
    const required = new Set<string>();
    for (const file of files) {
      for (const match of this.source(file).matchAll(MODULE_REQUIRE))
        if (!isBuiltin(match[1]!)) required.add(packageName(match[1]!));
      for (const specifier of this.specifiers(file))
        if (!specifier.startsWith(".") && !isBuiltin(specifier)) packages.add(packageName(specifier));
    }
    return {
      files: files.length,
      packages: [...packages].sort(),
      required: [...required].filter((name) => !packages.has(name)).sort(),
    };
  }

  /** `import { a as b, c } from "./x.js"`: local name → { imported name, resolved file }. */
  namedImports(file: string): Map<string, { imported: string; from: string }> {
    const imports = new Map<string, { imported: string; from: string }>();
    for (const match of this.source(file).matchAll(NAMED_IMPORT)) {
      const from = resolve(dirname(file), match[2]!);
      for (const [imported, local] of specifierList(match[1]!)) imports.set(local, { imported, from });
    }
    return imports;
  }

  /** `export { a as b, c }`: exported name → local name. */
  localExports(file: string): Map<string, string> {
    const exported = new Map<string, string>();
    for (const match of this.source(file).matchAll(LOCAL_EXPORT))
      for (const [local, name] of specifierList(match[1]!)) exported.set(name, local);
    return exported;
  }
}
