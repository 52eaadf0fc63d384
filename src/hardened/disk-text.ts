import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { isNotFound, statFile } from "../freshness/stat.js";
import type { Seen } from "../persistence/commit.js";

/** The file's exact text, `null` when it is missing. */
export function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The file as a writer sees it: stat first, then the text (the contract's order). */
export function readSeen(path: string): Required<Seen> {
  const stat = statFile(path);
  return { stat, text: readTextOrNull(path) };
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

/** `{ mtimeMs, size }` of a stat, `null` when the file is missing: what a payload reports. */
export const statPair = (stat: Seen["stat"]): { mtimeMs: number; size: number } | null =>
  stat.kind === "present" ? { mtimeMs: stat.mtimeMs, size: stat.size } : null;
