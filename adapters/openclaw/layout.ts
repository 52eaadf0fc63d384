import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Where a release keeps its JSON session-store writer and under which names. The bindings are
 * the module's own (exported or not): the adapter's load hook exports them under `__drift_*`.
 */
export type Layout = {
  /** `unbundled`: tsc output, `dist/config/sessions/store.js`; `bundled`: a `dist/store-<hash>.js` chunk. */
  kind: "unbundled" | "bundled";
  /** The writer module, relative to the package root. */
  writerFile: string;
  /** How the release serializes writers: a `<store>.lock` file or an in-process FIFO queue. */
  serialization: "lock-file" | "queue";
  /** Whether the writer snapshots every entry's `acp` and puts back what a mutator stripped. */
  acpPreservation: boolean;
  bindings: LayoutBindings;
};

/** The writer module's binding for each contract export (writeTextAtomic: null when the release has none). */
export type LayoutBindings = {
  updateSessionStore: string;
  loadSessionStore: string;
  clearSessionStoreCacheForTest: string;
  runExclusive: string;
  writeTextAtomic: string | null;
};

export type LayoutResult =
  | { kind: "json"; layout: Layout }
  | { kind: "sqlite"; reason: string }
  | { kind: "unknown"; reason: string };

/** `function NAME(`, `const NAME =`, or an import/export binding `as NAME` / `{ NAME }`. */
const hasBinding = (source: string, name: string): boolean =>
  new RegExp(`(?:function\\s*\\*?\\s*${name}\\s*\\(|(?:const|let|var)\\s+${name}\\s*=|\\bas\\s+${name}\\b|[{,]\\s*${name}\\s*[,}])`).test(source);

function bindingsOf(source: string): LayoutBindings | undefined {
  const runExclusive = ["runExclusiveSessionStoreWrite", "withSessionStoreLock"].find((name) => hasBinding(source, name));
  const names = ["updateSessionStore", "loadSessionStore", "clearSessionStoreCacheForTest"] as const;
  if (!runExclusive || !names.every((name) => hasBinding(source, name))) return undefined;
  return {
    updateSessionStore: "updateSessionStore",
    loadSessionStore: "loadSessionStore",
    clearSessionStoreCacheForTest: "clearSessionStoreCacheForTest",
    runExclusive,
    writeTextAtomic: hasBinding(source, "writeTextAtomic") ? "writeTextAtomic" : null,
  };
}

const WRITER = /async function updateSessionStore\s*\(/;

/** Reads an extracted release (`package/`) and says where its writer path is, or why there is none. */
export function detectLayout(packageDir: string): LayoutResult {
  const dist = join(packageDir, "dist");
  if (!existsSync(dist)) return { kind: "unknown", reason: "the package has no dist/ (a placeholder, not a build of openclaw)" };
  const unbundled = join("dist", "config", "sessions", "store.js");
  if (existsSync(join(packageDir, unbundled))) {
    const source = readFileSync(join(packageDir, unbundled), "utf8");
    const bindings = WRITER.test(source) ? bindingsOf(source) : undefined;
    if (!bindings) return { kind: "unknown", reason: `${unbundled} exists but its writer path is not the one the adapter knows (updateSessionStore, loadSessionStore, clearSessionStoreCacheForTest and a lock or queue)` };
    return { kind: "json", layout: layoutOf("unbundled", unbundled, bindings, source) };
  }
  const files = readdirSync(dist);
  const writers = files
    .filter((file) => /^store-[\w-]+\.js$/.test(file))
    .map((file) => ({ file, source: readFileSync(join(dist, file), "utf8") }))
    .filter(({ source }) => WRITER.test(source));
  if (writers.length > 1) return { kind: "unknown", reason: `more than one dist/store-*.js chunk defines updateSessionStore (${writers.map((w) => w.file).join(", ")})` };
  const writer = writers[0];
  if (writer) {
    const bindings = bindingsOf(writer.source);
    if (!bindings) return { kind: "unknown", reason: `dist/${writer.file} defines updateSessionStore but not the bindings the adapter needs (loadSessionStore, clearSessionStoreCacheForTest, runExclusiveSessionStoreWrite)` };
    return { kind: "json", layout: layoutOf("bundled", join("dist", writer.file), bindings, writer.source) };
  }
  const runtime = files.find((file) => /^session-store-runtime-[\w-]+\.m?js$/.test(file) && WRITER.test(readFileSync(join(dist, file), "utf8")));
  if (runtime) return { kind: "sqlite", reason: `its session store is SQLite: updateSessionStore lives in dist/${runtime} and writes a database, not a JSON file` };
  return { kind: "unknown", reason: "no dist/config/sessions/store.js and no dist/store-*.js chunk defines updateSessionStore" };
}

const layoutOf = (kind: Layout["kind"], writerFile: string, bindings: LayoutBindings, source: string): Layout => ({
  kind,
  writerFile,
  serialization: bindings.runExclusive === "withSessionStoreLock" ? "lock-file" : "queue",
  acpPreservation: /function preserveExistingAcpMetadata\s*\(/.test(source),
  bindings,
});
