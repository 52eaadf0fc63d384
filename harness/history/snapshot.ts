import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { isMissingFile, parseStoreObject } from "../faults/read-lenient.js";
import type { FileContent, FileSnapshot, FileStatRecord } from "./types.js";

/** The version of a file's bytes: sha256, hex, its first 16 chars (as `FileSnapshot.hash`). */
export const versionHash = (bytes: Buffer | string): string =>
  createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/** Stats, hashes and parses the store file as an outside observer (never through the store). */
export function snapshotFile(path: string): FileSnapshot {
  let stat: FileStatRecord;
  let bytes: Buffer;
  try {
    const s = statSync(path);
    stat = { kind: "present", mtimeMs: s.mtimeMs, size: s.size, ino: s.ino };
    bytes = readFileSync(path);
  } catch (error) {
    if (isMissingFile(error)) {
      return { stat: { kind: "missing" }, hash: null, content: { kind: "missing" } };
    }
    throw error;
  }
  return {
    stat,
    hash: versionHash(bytes),
    content: parseContent(bytes),
  };
}

function parseContent(bytes: Buffer): FileContent {
  const store = parseStoreObject(bytes.toString("utf8"));
  return store ? { kind: "json", store } : { kind: "unparseable", bytes: bytes.length };
}
