import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** How a file call reached the wrapper: a synchronous call must be held synchronously. */
export type CallMode = "sync" | "async";

/**
 * Called before every rename the process makes; the gateway decides which ones hold (the
 * destination is the store, a writer is running, a pause is pending). A `sync` call holds by
 * blocking before it returns; an `async` one by returning a promise that settles on resume.
 */
export type BeforeRename = (from: string, to: string, mode: CallMode) => void | Promise<void>;

const pathOf = (path: fs.PathLike): string => resolve(path instanceof URL ? fileURLToPath(path) : String(path));

/**
 * Wraps the three ways a store can rename a new version onto its file (`fs.renameSync`,
 * `fs.rename`, `fs.promises.rename`), so a store without a checkpoint seam can be held at
 * `before-rename`. (`after-load` needs no file call: see gateway.ts.) It must run
 * before the store module is imported: a default-object import (`import fs from "node:fs"`)
 * sees the patched object at once, and named imports (`import { renameSync }`) see it after
 * `syncBuiltinESMExports()`. `fs.promises` is the same object as `node:fs/promises`.
 */
export function installRenameCheckpoint(beforeRename: BeforeRename): void {
  const real = {
    renameSync: fs.renameSync,
    rename: fs.rename,
    promisesRename: fs.promises.rename,
  };
  fs.renameSync = function renameSync(from: fs.PathLike, to: fs.PathLike): void {
    beforeRename(pathOf(from), pathOf(to), "sync");
    real.renameSync(from, to);
  };
  fs.rename = function rename(from: fs.PathLike, to: fs.PathLike, callback: fs.NoParamCallback): void {
    Promise.resolve(beforeRename(pathOf(from), pathOf(to), "async")).then(
      () => real.rename(from, to, callback),
      (error: NodeJS.ErrnoException) => callback(error),
    );
  } as typeof fs.rename;
  fs.promises.rename = async function rename(from: fs.PathLike, to: fs.PathLike): Promise<void> {
    await beforeRename(pathOf(from), pathOf(to), "async");
    return real.promisesRename(from, to);
  };

  syncBuiltinESMExports();
}
