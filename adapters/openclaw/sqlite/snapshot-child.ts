/**
 * The snapshot reader for a SQLite-era release: a child on the release's Node (the parent's
 * Node 20 has no `node:sqlite`) that looks at a run's databases as an outside observer, never
 * through the release, and answers with the store in the harness's Store shape.
 *
 * Protocol: one JSON line in on stdin (`{ dir, database, acpDatabase }`), one FileSnapshot line
 * out on stdout. A read-only connection, opened and closed per look: it never checkpoints the
 * WAL (that needs write access) and never creates a missing database.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fromAcpMeta, fromReleaseKey, toHarnessEntry, type Entry } from "./entry-projection.js";

type DatabaseSync = { prepare(sql: string): { all(): Record<string, unknown>[] }; close(): void };
const sqlite = (
  process as unknown as {
    getBuiltinModule(id: string): { DatabaseSync: new (path: string, opts: object) => DatabaseSync };
  }
).getBuiltinModule("node:sqlite");

/** `@acp:v1:` + base64url(JSON [agentId, storeKey]) (buildAcpDatabaseSessionKey), or a bare legacy key. */
function storeKeyOfAcpRow(key: string): string {
  const match = /^@acp:v\d+:([A-Za-z0-9_-]+)$/.exec(key);
  if (match) {
    try {
      const decoded = JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")) as unknown;
      if (Array.isArray(decoded) && typeof decoded[1] === "string") return decoded[1];
    } catch {
      // not an encoded key
    }
  }
  return key;
}

/**
 * The release's own rule for whose an ACP row is (acpSessionRowMatchesEntry): a row bound
 * without a session id, or in this entry's session (its lifecycle revision or its session id,
 * not older than the session's start). A row of a session since deleted is not the entry's.
 */
function acpRowBelongsTo(row: Record<string, unknown>, entry: Entry | undefined): boolean {
  if (!entry) return false;
  if (row.session_id == null || row.session_id === entry.lifecycleRevision) return true;
  return (
    row.session_id === entry.sessionId &&
    (entry.sessionStartedAt === undefined || Number(row.updated_at) >= Number(entry.sessionStartedAt))
  );
}

function readRows(path: string, sql: string): Record<string, unknown>[] {
  const db = new sqlite.DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function look(request: { dir: string; database: string; acpDatabase: string }): unknown {
  const path = join(request.dir, request.database);
  if (!existsSync(path)) return { stat: { kind: "missing" }, hash: null, content: { kind: "missing" } };
  const s = statSync(path);
  const stat = { kind: "present", mtimeMs: s.mtimeMs, size: s.size, ino: s.ino };
  let store: Record<string, Entry>;
  const releaseEntries = new Map<string, Entry>();
  try {
    store = {};
    for (const row of readRows(
      path,
      "SELECT session_key, current_session_id, updated_at, entry_json FROM session_nodes ORDER BY session_key",
    )) {
      try {
        const entry = JSON.parse(String(row.entry_json)) as Entry;
        // The release's own rule (parseSqliteSessionEntryRecord): a row is an entry only when its
        // JSON has the row's session id and updated_at; any other row is skipped by its readers too.
        if (
          typeof entry.sessionId !== "string" ||
          entry.sessionId !== row.current_session_id ||
          entry.updatedAt !== row.updated_at
        )
          continue;
        const key = fromReleaseKey(String(row.session_key));
        releaseEntries.set(key, entry);
        store[key] = toHarnessEntry(entry);
      } catch {
        // an unparseable row is not an entry (parseSqliteSessionEntryRecord)
      }
    }
  } catch (error) {
    // Garbage bytes, a truncated file: what a JSON store's unparseable file is.
    return { stat, hash: null, content: { kind: "unparseable", bytes: s.size }, error: (error as Error).message };
  }
  const acpPath = join(request.dir, request.acpDatabase);
  if (existsSync(acpPath)) {
    try {
      for (const row of readRows(
        acpPath,
        "SELECT session_key, session_id, updated_at, runtime_options_json FROM acp_sessions",
      )) {
        const key = fromReleaseKey(storeKeyOfAcpRow(String(row.session_key)));
        if (!acpRowBelongsTo(row, releaseEntries.get(key))) continue;
        const options = row.runtime_options_json
          ? (JSON.parse(String(row.runtime_options_json)) as Record<string, unknown>)
          : undefined;
        if (store[key]) store[key] = { ...store[key], acp: fromAcpMeta({ runtimeOptions: options }) };
      }
    } catch {
      // no acp_sessions table yet: no ACP rows
    }
  }
  const hash = createHash("sha256").update(JSON.stringify(store)).digest("hex").slice(0, 16);
  return { stat, hash, content: { kind: "json", store } };
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let answer: unknown;
  try {
    answer = look(JSON.parse(line) as { dir: string; database: string; acpDatabase: string });
  } catch (error) {
    answer = { failed: (error as Error).message };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
