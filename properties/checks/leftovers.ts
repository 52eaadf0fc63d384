import { basename } from "node:path";

/**
 * Whether a file left beside the store is what a writer leaves when it dies mid-write, whatever
 * the store names its temps: `<file>.<anything>.tmp`, `.<file>.tmp`, `<file>.<hash>` (hex, or
 * a uuid) and `.fs-safe-replace.*`. A file the store keeps on purpose (`<file>.fingerprint`)
 * is none of these.
 */
export function isWriterLeftover(name: string, storePath: string): boolean {
  const file = basename(storePath);
  if (name.endsWith(".tmp") || name.startsWith(".fs-safe-replace.")) return true;
  if (!name.startsWith(`${file}.`)) return false;
  return /^[0-9a-f-]{8,}$/i.test(name.slice(file.length + 1));
}
