import { statSync } from "node:fs";

/** What a writer knows about the file from one `stat`: exactly Node's `mtimeMs` and `size`. */
export type PresentStat = { kind: "present"; mtimeMs: number; size: number; ino: number };
export type FileStat = PresentStat | { kind: "missing" };

/** The two numbers the contract compares and a payload reports. */
export type StatPair = { mtimeMs: number; size: number };

/** `{ mtimeMs, size }` of a stat, `null` when the file is missing. */
export const statPair = (stat: FileStat): StatPair | null =>
  stat.kind === "present" ? { mtimeMs: stat.mtimeMs, size: stat.size } : null;

/** Stats `path`; a missing file (or a missing directory on the way) is `{ kind: "missing" }`. */
export function statFile(path: string): FileStat {
  try {
    const s = statSync(path);
    return { kind: "present", mtimeMs: s.mtimeMs, size: s.size, ino: s.ino };
  } catch (error) {
    if (isNotFound(error)) return { kind: "missing" };
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
