import { dirname, join } from "node:path";

/**
 * Called synchronously before each `COMMIT` a `node:sqlite` connection of this process runs,
 * with the database file's path: a SQLite store's `before-rename` (its write becomes visible
 * there, as a JSON store's at its rename). SQLite transactions in openclaw must be synchronous,
 * so a hold here blocks the main thread (hold-pipe.ts), holding the write lock `BEGIN
 * IMMEDIATE` took: other processes wait out their `busy_timeout`, as they would for a slow writer.
 */
export type BeforeCommit = (database: string) => void;

type Statement = { run: (...args: unknown[]) => unknown };
type Connection = { exec(sql: string): void; prepare(sql: string): Statement; location?: () => string | null };

const isCommit = (sql: string): boolean => /^\s*(COMMIT|END)\b/i.test(sql);

/**
 * Wraps `DatabaseSync.prototype.exec` and `prepare` (a class's methods: every connection, made
 * before or after, goes through them). A no-op on a Node without `node:sqlite` (Node 20):
 * there is no SQLite store to hold there.
 */
export function installSqliteCommitCheckpoint(beforeCommit: BeforeCommit): void {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const sqlite = getBuiltin?.("node:sqlite") as { DatabaseSync?: { prototype: Connection } } | undefined;
  const proto = sqlite?.DatabaseSync?.prototype;
  if (!proto) return;
  const where = (db: Connection) => db.location?.() ?? "";
  const realExec = proto.exec;
  const realPrepare = proto.prepare;
  proto.exec = function exec(this: Connection, sql: string) {
    if (isCommit(sql)) beforeCommit(where(this));
    return realExec.call(this, sql);
  };
  proto.prepare = function prepare(this: Connection, sql: string) {
    const statement = realPrepare.call(this, sql);
    if (!isCommit(sql)) return statement;
    const realRun = statement.run;
    statement.run = (...args: unknown[]) => {
      beforeCommit(where(this));
      return realRun.apply(statement, args);
    };
    return statement;
  };
}

/**
 * Whether a COMMIT is the store's own write: on its entries' database (`name`, beside the store
 * path, as `storeFiles.database` declares it), not the registry or state database it opens first.
 */
export const isStoreDatabase = (database: string, storePath: string, name: string | undefined): boolean =>
  name === undefined ? database.startsWith(`${dirname(storePath)}/`) : database === join(dirname(storePath), name);
