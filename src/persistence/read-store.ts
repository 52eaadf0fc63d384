import { readFileSync } from "node:fs";
import { isNotFound } from "../freshness/stat.js";
import type { Store } from "../types.js";

/** A store file that is not a JSON object. The file is never overwritten while it is so. */
export class StoreParseError extends Error {
  override readonly name = "StoreParseError";
  constructor(
    readonly storePath: string,
    readonly problem: string,
  ) {
    super(`session store ${storePath} is unparseable (${problem}); it was left untouched: repair or remove the file`);
  }
}

/** Parses store text; throws StoreParseError naming `storePath` and the problem. */
export function parseStoreText(storePath: string, text: string): Store {
  if (text.length === 0) throw new StoreParseError(storePath, "the file is empty (0 bytes)");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoreParseError(storePath, `invalid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new StoreParseError(storePath, `the top level is ${kind}, expected an object of sessions`);
  }
  return value as Store;
}

/** The file's exact text, `null` when it is missing (or a directory on its path is). */
export function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Reads the store from disk with the text it came from; a missing file reads as `{}` (text `null`). */
export function readStoreWithText(storePath: string): { store: Store; text: string | null } {
  const text = readTextOrNull(storePath);
  return { store: text === null ? {} : parseStoreText(storePath, text), text };
}

/** Reads the store from disk; a missing file reads as `{}`. */
export const readStoreFile = (storePath: string): Store => readStoreWithText(storePath).store;

export function serializeStore(store: Store): string {
  return `${JSON.stringify(store, null, 2)}\n`;
}
