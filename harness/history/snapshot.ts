import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { isMissingFile, parseStoreObject } from "../faults/read-lenient.js";
import type { FileContent, FileSnapshot, FileStatRecord } from "./types.js";

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
    hash: createHash("sha256").update(bytes).digest("hex").slice(0, 16),
    content: parseContent(bytes),
  };
}

function parseContent(bytes: Buffer): FileContent {
  const store = parseStoreObject(bytes.toString("utf8"));
  return store ? { kind: "json", store } : { kind: "unparseable", bytes: bytes.length };
}
