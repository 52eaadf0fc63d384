import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Called when a writer's exclusive create (`open(path, "wx")`, or `O_EXCL`) fails with
 * `EEXIST`: the way a lock-file store finds its lock taken. `path` is absolute.
 */
export type OnLockTaken = (path: string) => void;

/** The writer a file call was made for: `run` wraps each writer's call into the store. */
export const writerCalls = new AsyncLocalStorage<OnLockTaken>();

const pathOf = (path: fs.PathLike): string => resolve(path instanceof URL ? fileURLToPath(path) : String(path));

function isExclusive(flags: unknown): boolean {
  if (typeof flags === "string") return flags.includes("x");
  return typeof flags === "number" && (flags & fs.constants.O_EXCL) !== 0;
}

const taken = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === "EEXIST";

/**
 * Wraps `fs.openSync`, `fs.open` and `fs.promises.open` (the same object as
 * `node:fs/promises`) so that the writer on whose behalf an exclusive create failed with
 * `EEXIST` hears of it. The call itself is unchanged: it fails as it would, and the store goes
 * on as it would (polls, times out). Like the rename checkpoint, it must run before the store
 * module is imported.
 */
export function installLockWatch(): void {
  const real = { openSync: fs.openSync, open: fs.open, promisesOpen: fs.promises.open };
  const notify = (path: fs.PathLike, flags: unknown, error: unknown) => {
    if (isExclusive(flags) && taken(error)) writerCalls.getStore()?.(pathOf(path));
  };
  fs.openSync = function openSync(path: fs.PathLike, ...rest: [flags?: fs.OpenMode, mode?: fs.Mode | null]): number {
    try {
      return (real.openSync as (path: fs.PathLike, ...rest: unknown[]) => number)(path, ...rest);
    } catch (error) {
      notify(path, rest[0], error);
      throw error;
    }
  } as typeof fs.openSync;
  fs.open = function open(path: fs.PathLike, ...rest: unknown[]): void {
    const callback = rest.pop() as (error: NodeJS.ErrnoException | null, fd: number) => void;
    const flags = rest[0];
    (real.open as (...args: unknown[]) => void)(path, ...rest, (error: NodeJS.ErrnoException | null, fd: number) => {
      if (error) notify(path, flags, error);
      callback(error, fd);
    });
  } as typeof fs.open;
  fs.promises.open = async function open(
    path: fs.PathLike,
    flags?: string | number,
    mode?: fs.Mode,
  ): Promise<fs.promises.FileHandle> {
    try {
      return await real.promisesOpen(path, flags, mode);
    } catch (error) {
      notify(path, flags, error);
      throw error;
    }
  };
  syncBuiltinESMExports();
}
