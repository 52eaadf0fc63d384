import { readFileSync } from "node:fs";

type StoreData = Record<string, any>;

/** How an external process finds the store: it never refuses, it just says what is there. */
export type LenientRead =
  | { kind: "missing" }
  | { kind: "unparseable"; text: string }
  | { kind: "json"; store: StoreData; text: string };

export function readStoreLenient(path: string): LenientRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return { kind: "json", store: value as StoreData, text };
    }
  } catch {
    // fall through: not JSON
  }
  return { kind: "unparseable", text };
}

/** The parsed store to start an external edit from: a missing or broken file starts from `{}`. */
export const startingStore = (read: LenientRead): StoreData => (read.kind === "json" ? read.store : {});

export const prettyJson = (store: StoreData): string => `${JSON.stringify(store, null, 2)}\n`;
