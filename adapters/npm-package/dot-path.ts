import { isDeepStrictEqual } from "node:util";
import type { StoreData } from "./store-file.js";

/**
 * A session key as one segment of a dot path: dot-prop (under configstore and conf) splits on
 * `.` and reads `\.` as a literal dot. The harness's keys (`a`, `b`, `c`) have none, a real
 * session key (`agent:main:x.y`) may.
 */
export const pathSegment = (key: string): string => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

/**
 * The one call a user of a dot-path API makes for the change from `before` to `after`:
 * `set({ "a.note": "n1", "a.updatedAt": 3 })` for fields changed on an entry that is still an
 * object with nothing taken away, `set({ a: {...} })` for a new or replaced entry, `delete("a")`
 * for a removed one. `whole` when the change is none of these (no change at all, or several
 * keys removed, or a removal and a set): then the adapter writes the whole store.
 */
export type DotPathCall =
  | { kind: "set"; values: Record<string, unknown> }
  | { kind: "delete"; path: string }
  | { kind: "whole" };

const isEntry = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function dotPathCall(before: StoreData, after: StoreData): DotPathCall {
  const removed = Object.keys(before).filter((key) => !(key in after));
  const changed = Object.keys(after).filter((key) => !isDeepStrictEqual(before[key], after[key]));
  if (removed.length === 1 && changed.length === 0) return { kind: "delete", path: pathSegment(removed[0]!) };
  if (removed.length > 0 || changed.length === 0) return { kind: "whole" };
  const values: Record<string, unknown> = {};
  for (const key of changed) {
    const was = before[key];
    const now = after[key];
    const fieldsKept = isEntry(was) && isEntry(now) && Object.keys(was).every((field) => field in now);
    if (!fieldsKept) {
      values[pathSegment(key)] = now;
      continue;
    }
    for (const field of Object.keys(now)) {
      if (!isDeepStrictEqual(was[field], now[field])) values[`${pathSegment(key)}.${pathSegment(field)}`] = now[field];
    }
  }
  return { kind: "set", values };
}
