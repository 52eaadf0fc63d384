import type { BaseVersion, WriteVersions } from "../history/types.js";
import { round } from "./tripwire-attribution.js";

/** The actor's versions with their times on the run's clock: ms since `t0` (a `sharedClockMs` reading), as `windowsSince` does. */
export function versionsSince(t0: number, versions: readonly (WriteVersions | null)[]): (WriteVersions | null)[] {
  return versions.map((v) => {
    if (v === null) return null;
    const base: BaseVersion = { ...v.base, at: round(v.base.at - t0) };
    const produced = v.produced && {
      ...v.produced,
      at: { from: round(v.produced.at.from - t0), to: round(v.produced.at.to - t0) },
    };
    return { base, produced, ...(v.recheckedAt !== undefined ? { recheckedAt: round(v.recheckedAt - t0) } : {}) };
  });
}
