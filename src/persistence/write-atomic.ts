import { randomBytes } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { WriteTextAtomicOptions } from "../types.js";

export type AtomicWriteHooks = {
  beforeRename?: () => void | Promise<void>;
  /**
   * Takes the place of the plain rename: gets the rename to do (or not: throwing aborts the
   * write, and the temp is removed) and the temp file it would move. Runs after `beforeRename`.
   */
  rename?: (rename: () => Promise<void>, temp: { path: string; text: string }) => Promise<void>;
};

/** The temp file name: `<prefix>.<pid>.<random>.tmp`, so a leftover names the writer that left it. */
export function tempPathFor(filePath: string, tempPrefix?: string): string {
  const prefix = tempPrefix ?? basename(filePath);
  return join(dirname(filePath), `${prefix}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes `text` to `filePath` atomically: a temp file in the same directory, fully written
 * (and fsynced when `durable`), then renamed over the target. Whatever fails, the temp is removed
 * and the target is untouched.
 */
export async function writeTextAtomic(
  filePath: string,
  text: string,
  opts: WriteTextAtomicOptions = {},
  hooks: AtomicWriteHooks = {},
): Promise<void> {
  const tempPath = tempPathFor(filePath, opts.tempPrefix);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tempPath, "wx", opts.mode ?? 0o600);
    await handle.writeFile(text, "utf8");
    if (opts.durable) await handle.sync();
    await handle.close();
    handle = undefined;
    await hooks.beforeRename?.();
    const renameTemp = () => rename(tempPath, filePath);
    await (hooks.rename ? hooks.rename(renameTemp, { path: tempPath, text }) : renameTemp());
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
  if (opts.durable) await syncDirectory(dirname(filePath));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
