/**
 * Just enough of npm's range syntax for `engines.node`: `||` alternatives of space-separated
 * comparators (`>=22.12.0`, `<25`, `^22.14.0`, bare versions).
 */
type Version = [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function comparatorHolds(version: Version, comparator: string): boolean {
  const match = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
  const bound = match ? parseVersion(match[2]!) : undefined;
  if (!match || !bound) throw new Error(`cannot read the version range comparator ${JSON.stringify(comparator)}`);
  const c = compare(version, bound);
  switch (match[1]) {
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case "^":
      return c >= 0 && version[0] === bound[0];
    case "~":
      return c >= 0 && version[0] === bound[0] && version[1] === bound[1];
    default:
      return c === 0;
  }
}

const alternatives = (range: string): string[][] =>
  range.split("||").map((part) =>
    part
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean),
  );

/** Whether `version` (e.g. `v22.23.3`) satisfies `range` (e.g. `>=22.22.3 <23 || >=24.15.0`). */
export function satisfies(version: string, range: string): boolean {
  const parsed = parseVersion(version);
  if (!parsed) return false;
  return alternatives(range).some((comparators) =>
    comparators.every((comparator) => comparatorHolds(parsed, comparator)),
  );
}

/** The majors the range's alternatives start at, lowest first: the `node@<major>` packages worth trying. */
export function candidateMajors(range: string): number[] {
  const majors = alternatives(range).flatMap((comparators) => {
    const lower = comparators.find((comparator) => !comparator.startsWith("<"));
    const version = lower ? parseVersion(lower.replace(/^(>=|>|=|\^|~)/, "")) : undefined;
    return version ? [version[0]] : [];
  });
  return [...new Set(majors)].sort((a, b) => a - b);
}
