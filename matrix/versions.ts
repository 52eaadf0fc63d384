/**
 * Release versions in version order: `2026.2.1 < 2026.2.12 < 2026.3.1`, a prerelease
 * (`2026.5.3-beta.1`) before its release. Just enough of semver's precedence for openclaw's
 * numbering.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = split(a);
  const [coreB, preB] = split(b);
  for (let i = 0; i < 3; i++) {
    const d = (coreA[i] ?? 0) - (coreB[i] ?? 0);
    if (d !== 0) return d;
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return comparePrerelease(preA, preB);
}

export const isPrerelease = (version: string): boolean => version.includes("-");

export const sortVersions = (versions: readonly string[]): string[] => [...versions].sort(compareVersions);

function split(version: string): [number[], string | undefined] {
  const dash = version.indexOf("-");
  const core = dash < 0 ? version : version.slice(0, dash);
  return [core.split(".").map(Number), dash < 0 ? undefined : version.slice(dash + 1)];
}

function comparePrerelease(a: string, b: string): number {
  const partsA = a.split(".");
  const partsB = b.split(".");
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const x = partsA[i];
    const y = partsB[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) {
      if (nx !== undefined) return -1;
      if (ny !== undefined) return 1;
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
