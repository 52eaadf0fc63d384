import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ModuleGraph } from "./module-graph.js";
import { detectSqliteLayout, type SqliteLayout } from "./sqlite/layout.js";

/**
 * Bumped whenever the adapter learns a layout it did not know: a release remembered as
 * unsupported by an adapter with a lower number is fetched and read again, and a supported one
 * gets what its writer loads installed again (2: writers in any chunk; 3: module-level requires;
 * 4: SQLite-era releases).
 */
export const LAYOUT_VERSION = 4;

/**
 * Where a release keeps its JSON session-store writer and under which names. The bindings are
 * modules' own (exported or not, imported under any local name): the adapter's load hook
 * appends `export { <local> as __drift_<key> }` to the module that holds each one.
 */
export type Layout = {
  /** `unbundled`: tsc output, `dist/config/sessions/store.js`; `bundled`: a rolldown chunk (`dist/<name>-<hash>.js`). */
  kind: "unbundled" | "bundled";
  /** The writer module (the one that defines `updateSessionStore`), relative to the package root. */
  writerFile: string;
  /** How the release serializes writers: a `<store>.lock` file or an in-process FIFO queue. */
  serialization: "lock-file" | "queue";
  /** Whether the writer snapshots every entry's `acp` and puts back what a mutator stripped. */
  acpPreservation: boolean;
  /** Whether `updateSessionStore` takes options with `skipMaintenance` (the harness switches maintenance off with it). */
  maintenanceOption: boolean;
  bindings: LayoutBindings;
};

/** A module-local binding: `name` in `file` (relative to the package root). */
export type Binding = { file: string; name: string };

/**
 * The binding for each contract export. writeTextAtomic: null when the writer has none.
 * clearSessionStoreCacheForTest: a release whose bundle dropped it (nothing calls it) gets
 * `{ caches }`, the writer's own cache maps, which the adapter clears itself.
 */
export type LayoutBindings = {
  updateSessionStore: Binding;
  loadSessionStore: Binding;
  clearSessionStoreCacheForTest: Binding | { caches: Binding[] };
  runExclusive: Binding;
  writeTextAtomic: Binding | null;
};

/** Either era's layout: what a fetched release records and its entry module opens. */
export type ReleaseLayout = Layout | SqliteLayout;

export type LayoutResult =
  | { kind: "json"; layout: Layout }
  | { kind: "sqlite"; layout: SqliteLayout }
  | { kind: "unknown"; reason: string };

/** `function NAME(` (async or generator too), or `const|let|var|class NAME`. */
const definesName = (source: string, name: string): boolean =>
  new RegExp(`(?:function\\s*\\*?\\s*${escape(name)}\\s*\\(|(?:const|let|var|class)\\s+${escape(name)}\\b)`).test(
    source,
  );

const escape = (name: string): string => name.replace(/\$/g, "\\$");

/** The chunks a writer reaches, read through one module graph, with paths shown relative to the package. */
class Chunks extends ModuleGraph {
  constructor(readonly packageDir: string) {
    super();
  }
  /** The original name of a module-local binding, following imports through the exporting chunks' `export { x as t }`. */
  originalName(file: string, local: string, depth = 0): string {
    const source = this.source(file);
    if (definesName(source, local) || depth > 8) return local;
    const imported = this.namedImports(file).get(local);
    if (!imported) return local;
    const exportedLocal = this.localExports(imported.from).get(imported.imported);
    return exportedLocal ? this.originalName(imported.from, exportedLocal, depth + 1) : imported.imported;
  }
  /** Where `name` is bound in `file`: defined there, or imported from a chunk whose binding has that original name. */
  bindingIn(file: string, name: string): Binding | undefined {
    const source = this.source(file);
    if (definesName(source, name)) return { file: this.rel(file), name };
    for (const [local, { imported, from }] of this.namedImports(file)) {
      const exportedLocal = this.localExports(from).get(imported);
      const original = exportedLocal ? this.originalName(from, exportedLocal) : imported;
      if (original === name || (local === name && !exportedLocal)) return { file: this.rel(file), name: local };
    }
    return undefined;
  }
  rel(file: string): string {
    return relative(this.packageDir, file);
  }
}

const RUN_EXCLUSIVE = ["runExclusiveSessionStoreWrite", "withSessionStoreLock"] as const;
/** A module-level cache of the session store (a `Map`, or an object with `clear()`), e.g. `const SESSION_STORE_CACHE = new Map()`. */
const CACHE_MAP = /(?:^|\n)const (SESSION_STORE_[\w$]*CACHE[\w$]*) = /g;

/**
 * Finds every contract binding starting from the writer module: in the writer itself (defined
 * or imported under any local name), else (clearSessionStoreCacheForTest only) in a chunk the
 * writer loads, which is the same module instance as the writer's. Undefined: what is missing.
 */
function bindingsOf(chunks: Chunks, writer: string): LayoutBindings | { missing: string[] } {
  const inWriter = (name: string) => chunks.bindingIn(writer, name);
  const update = inWriter("updateSessionStore");
  const load = inWriter("loadSessionStore");
  const runExclusive = RUN_EXCLUSIVE.map(inWriter).find((binding) => binding !== undefined);
  const loaded = chunks.closure(writer);
  const clear =
    inWriter("clearSessionStoreCacheForTest") ??
    loaded
      .map((file) =>
        definesName(chunks.source(file), "clearSessionStoreCacheForTest")
          ? { file: chunks.rel(file), name: "clearSessionStoreCacheForTest" }
          : undefined,
      )
      .find((b) => b !== undefined) ??
    cachesOf(chunks, loaded);
  const missing = [
    ...(update ? [] : ["updateSessionStore"]),
    ...(load ? [] : ["loadSessionStore"]),
    ...(runExclusive ? [] : ["runExclusiveSessionStoreWrite or withSessionStoreLock"]),
    ...(clear ? [] : ["clearSessionStoreCacheForTest (or the SESSION_STORE_*CACHE maps to clear)"]),
  ];
  if (!update || !load || !runExclusive || !clear) return { missing };
  return {
    updateSessionStore: update,
    loadSessionStore: load,
    clearSessionStoreCacheForTest: clear,
    runExclusive,
    writeTextAtomic: inWriter("writeTextAtomic") ?? null,
  };
}

function cachesOf(chunks: Chunks, files: string[]): { caches: Binding[] } | undefined {
  const caches = files.flatMap((file) =>
    [...chunks.source(file).matchAll(CACHE_MAP)].map((match) => ({ file: chunks.rel(file), name: match[1]! })),
  );
  return caches.length > 0 ? { caches } : undefined;
}

const WRITER = /async function updateSessionStore\s*\(/;

/** Reads an extracted release (`package/`) and says where its writer path is, or why there is none. */
export function detectLayout(packageDir: string): LayoutResult {
  const dist = join(packageDir, "dist");
  if (!existsSync(dist))
    return { kind: "unknown", reason: "the package has no dist/ (a placeholder, not a build of openclaw)" };
  const chunks = new Chunks(packageDir);
  const unbundled = join("dist", "config", "sessions", "store.js");
  if (existsSync(join(packageDir, unbundled))) {
    const file = join(packageDir, unbundled);
    const found = WRITER.test(chunks.source(file)) ? bindingsOf(chunks, file) : { missing: ["updateSessionStore"] };
    if ("missing" in found)
      return {
        kind: "unknown",
        reason: `${unbundled} exists but its writer path is not the one the adapter knows (no ${found.missing.join(", ")})`,
      };
    return { kind: "json", layout: layoutOf(chunks, "unbundled", file, found) };
  }
  const files = readdirSync(dist)
    .filter((file) => /\.m?js$/.test(file))
    .sort();
  const writers = files.filter((file) => WRITER.test(chunks.source(join(dist, file))));
  // The SQLite bridge also defines updateSessionStore; it writes through the SQLite accessor.
  const isSqlite = (file: string) => /\bapplySessionStoreProjection\b/.test(chunks.source(join(dist, file)));
  // A bundle can carry the writer in several chunks (one per entry point, the same code). Any
  // complete one will do: the smallest set of files loaded with it, then the name, so the choice is stable.
  const candidates = writers
    .filter((file) => !isSqlite(file))
    .map((file) => {
      const path = join(dist, file);
      return { file, path, found: bindingsOf(chunks, path), loads: chunks.closure(path).length };
    });
  const complete = candidates
    .filter((c): c is typeof c & { found: LayoutBindings } => !("missing" in c.found))
    .sort((a, b) => a.loads - b.loads || a.file.localeCompare(b.file));
  const chosen = complete[0];
  if (chosen) return { kind: "json", layout: layoutOf(chunks, "bundled", chosen.path, chosen.found) };
  const sqliteLayout = detectSqliteLayout(packageDir, chunks);
  if (sqliteLayout && "layout" in sqliteLayout) return { kind: "sqlite", layout: sqliteLayout.layout };
  if (sqliteLayout) return { kind: "unknown", reason: `its session store is SQLite, but ${sqliteLayout.missing}` };
  const first = candidates[0];
  if (!first || !("missing" in first.found))
    return { kind: "unknown", reason: "no chunk in dist/ defines updateSessionStore" };
  return {
    kind: "unknown",
    reason: `dist/${first.file} defines updateSessionStore but not the bindings the adapter needs (no ${first.found.missing.join(", ")})`,
  };
}

function layoutOf(chunks: Chunks, kind: Layout["kind"], writer: string, bindings: LayoutBindings): Layout {
  const source = chunks.source(writer);
  const update = source.match(/async function updateSessionStore\s*\(([^)]*)\)/);
  return {
    kind,
    writerFile: chunks.rel(writer),
    serialization: chunks.bindingIn(writer, "runExclusiveSessionStoreWrite") ? "queue" : "lock-file",
    acpPreservation: chunks.bindingIn(writer, "preserveExistingAcpMetadata") !== undefined,
    maintenanceOption: (update?.[1] ?? "").split(",").length >= 3 && /\bskipMaintenance\b/.test(source),
    bindings,
  };
}
