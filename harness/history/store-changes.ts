/** Whether two JSON values (as `JSON.parse` returns them) are equal: key order does not count. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
}

/**
 * The entries of `after` that differ from `before`'s, and `null` for each key `after` no longer
 * has: with `before`, all a version needs to be read back. E.g. `{ a: {…} }` for a merge of `a`.
 */
export function storeChanges(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(after)) {
    if (!Object.hasOwn(before, key) || !sameJson(before[key], entry)) changes[key] = entry;
  }
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) changes[key] = null;
  return changes;
}
