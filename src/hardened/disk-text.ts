import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync, statSync, type BigIntStats } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { isNotFound, type FileStat } from "../freshness/stat.js";

/**
 * Which version of the file a path names: inode, size, and mtime and ctime to the nanosecond
 * (`null`: missing). ctime cannot be set from user space, so a same-second edit whose mtime
 * was put back still changes it; a rename-in changes the inode.
 */
export type FileVersion = string | null;

const versionOf = (s: BigIntStats): string => `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;

export function versionNow(path: string): FileVersion {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s ? versionOf(s) : null;
}

/**
 * The file's text with the stat and the version of exactly what was read (one open file, so a
 * rename-in between the stat and the read cannot mix two versions).
 */
export function readVersioned(path: string): { stat: FileStat; text: string | null; version: FileVersion } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (isNotFound(error)) return { stat: { kind: "missing" }, text: null, version: null };
    throw error;
  }
  try {
    const s = fstatSync(fd);
    const version = versionOf(fstatSync(fd, { bigint: true }));
    return {
      stat: { kind: "present", mtimeMs: s.mtimeMs, size: s.size, ino: s.ino },
      text: readFileSync(fd, "utf8"),
      version,
    };
  } finally {
    closeSync(fd);
  }
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const UNPARSEABLE = Symbol("unparseable");

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return UNPARSEABLE;
  }
}

/**
 * Same store content, as the model compares it (parsed, never bytes): equal text is the fast
 * path; different text is parsed, so a reformatted but equal file is still the same. A missing
 * file equals only a missing file, and an unparseable one only its own exact bytes.
 */
export function sameStoreContent(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const left = parsed(a);
  const right = parsed(b);
  return left !== UNPARSEABLE && right !== UNPARSEABLE && isDeepStrictEqual(left, right);
}
