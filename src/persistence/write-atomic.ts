import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { WriteTextAtomicOptions } from "../types.js";

/** A temp file fully written, and the rename that would put it in place. */
export type PendingRename = { temp: { path: string; text: string }; rename: () => Promise<void> };

export type AtomicWriteHooks<R> = {
  beforeRename?: () => void | Promise<void>;
  /**
   * Takes the place of the plain rename, after `beforeRename`: does the rename or not, and says
   * what happened. A temp it did not rename is removed; so is the temp when it throws.
   */
  commit: (pending: PendingRename) => Promise<R>;
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
 *
 * The file calls are synchronous, like the store's reads: a session store is small, its writers
 * are already serialized, and a thread-pool round trip of the promise API costs more than the
 * write itself (README, "Benchmarks"). The hooks are awaited, so a writer can still be held
 * between its temp write and its rename.
 */
export async function writeTextAtomic(
  filePath: string,
  text: string,
  opts: WriteTextAtomicOptions = {},
): Promise<void> {
  await writeTextCommitted(filePath, text, opts, { commit: ({ rename }) => rename() });
}

/** `writeTextAtomic` with the rename handed to `hooks.commit`, returning what it says happened. */
export async function writeTextCommitted<R>(
  filePath: string,
  text: string,
  opts: WriteTextAtomicOptions,
  hooks: AtomicWriteHooks<R>,
): Promise<R> {
  const tempPath = tempPathFor(filePath, opts.tempPrefix);
  let fd: number | undefined;
  let outcome: R;
  try {
    fd = openSync(tempPath, "wx", opts.mode ?? 0o600);
    writeFileSync(fd, text, "utf8");
    if (opts.durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    await hooks.beforeRename?.();
    let renamed = false;
    const rename = async () => {
      renameSync(tempPath, filePath);
      renamed = true;
    };
    outcome = await hooks.commit({ temp: { path: tempPath, text }, rename });
    if (!renamed) rmSync(tempPath, { force: true });
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    rmSync(tempPath, { force: true });
    throw error;
  }
  if (opts.durable) syncDirectory(dirname(filePath));
  return outcome;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The write's own error is the one to report.
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
