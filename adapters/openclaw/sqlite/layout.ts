import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Binding } from "../layout.js";
import { ModuleGraph } from "../module-graph.js";

/**
 * Where a SQLite-era release (2026.8.1 on) keeps its session store: the whole-store bridge
 * (`updateSessionStore`, whose row diff "commits through the SQLite accessor", and
 * `loadSessionStore`) and the ACP metadata functions, which write the `acp_sessions` table.
 * Found by content, not by chunk name, so a new release loads without a table edit.
 */
export type SqliteLayout = {
  kind: "sqlite";
  /** The chunk that defines the whole-store bridge, relative to the package root. */
  writerFile: string;
  /** The chunk that defines `upsertAcpSessionMeta`. */
  acpFile: string;
  serialization: "sqlite";
  bindings: {
    updateSessionStore: Binding;
    loadSessionStore: Binding;
    upsertAcpSessionMeta: Binding;
    readAcpSessionMeta: Binding;
  };
  /**
   * The functions that close the connections the writer's module instances cache (agent and
   * state databases), in the chunks the writer loads: the adapter's `clearSessionStoreCacheForTest`
   * calls them, so a warm process starts each run with no open connection, as a fresh one would.
   */
  closers: Binding[];
};

const CLOSERS = ["closeOpenClawAgentDatabases", "closeOpenClawStateDatabase"];

const defines = (source: string, name: string): boolean =>
  new RegExp(`(?:^|\\n)(?:async\\s+)?function\\s+${name}\\s*\\(`).test(source);

/** The bridge writes through `applySessionStoreProjection`: that, not the file name, says SQLite. */
const isSqliteWriter = (source: string): boolean =>
  defines(source, "updateSessionStore") &&
  defines(source, "loadSessionStore") &&
  /\bapplySessionStoreProjection\b/.test(source);
const isAcpModule = (source: string): boolean =>
  defines(source, "upsertAcpSessionMeta") && defines(source, "readAcpSessionMeta");

/** The chunk of `files` for which `test` holds that loads the fewest files with it (then by name: a stable choice). */
function smallest(
  graph: ModuleGraph,
  dist: string,
  files: string[],
  test: (source: string) => boolean,
): string | undefined {
  return files
    .filter((file) => test(graph.source(join(dist, file))))
    .map((file) => ({ file, loads: graph.closure(join(dist, file)).length }))
    .sort((a, b) => a.loads - b.loads || a.file.localeCompare(b.file))[0]?.file;
}

/** The SQLite layout of an extracted release, or why it has none (undefined: not a SQLite-era build). */
export function detectSqliteLayout(
  packageDir: string,
  graph = new ModuleGraph(),
): { layout: SqliteLayout } | { missing: string } | undefined {
  const dist = join(packageDir, "dist");
  const files = readdirSync(dist)
    .filter((file) => /\.m?js$/.test(file))
    .sort();
  const writer = smallest(graph, dist, files, isSqliteWriter);
  if (!writer) return undefined;
  const acp = smallest(graph, dist, files, isAcpModule);
  if (!acp)
    return {
      missing: `no chunk defines upsertAcpSessionMeta and readAcpSessionMeta (the ACP metadata functions beside dist/${writer})`,
    };
  const at = (file: string, name: string): Binding => ({ file: join("dist", file), name });
  const loaded = graph
    .closure(join(dist, writer))
    .map((file) => relative(dist, file))
    .sort();
  const closers = CLOSERS.flatMap((name) => {
    const file = loaded.find((candidate) => defines(graph.source(join(dist, candidate)), name));
    return file ? [at(file, name)] : [];
  });
  return {
    layout: {
      kind: "sqlite",
      writerFile: join("dist", writer),
      acpFile: join("dist", acp),
      serialization: "sqlite",
      bindings: {
        updateSessionStore: at(writer, "updateSessionStore"),
        loadSessionStore: at(writer, "loadSessionStore"),
        upsertAcpSessionMeta: at(acp, "upsertAcpSessionMeta"),
        readAcpSessionMeta: at(acp, "readAcpSessionMeta"),
      },
      closers,
    },
  };
}
