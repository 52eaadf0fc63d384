import { readFileSync } from "node:fs";

type StoreData = Record<string, any>;

/** How an observer (an external process, the parent's snapshots and monitor) finds the store: it never refuses, it says what is there. */
export type LenientRead =
  | { kind: "missing" }
  | { kind: "unparseable"; text: string }
  | { kind: "json"; store: StoreData; text: string };

/** A path that names no file: it is absent, or a directory on the way to it is (ENOTDIR), as the store reads it. */
export const isMissingFile = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
};

/** The store object `text` holds, or `null` when it is not JSON or not a JSON object. */
export function parseStoreObject(text: string): StoreData | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as StoreData;
  } catch {
    // not JSON: null below
  }
  return null;
}

/** Reads the store file and says what is there; the one way the harness reads it. */
export function readStoreLenient(path: string): LenientRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (isMissingFile(error)) return { kind: "missing" };
    throw error;
  }
  const store = parseStoreObject(text);
  return store ? { kind: "json", store, text } : { kind: "unparseable", text };
}

/** The parsed store to start an external edit from: a missing or broken file starts from `{}`. */
export const startingStore = (read: LenientRead): StoreData => (read.kind === "json" ? read.store : {});

export const prettyJson = (store: StoreData): string => `${JSON.stringify(store, null, 2)}\n`;
