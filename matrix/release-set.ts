import { compareVersions, isPrerelease, sortVersions } from "./versions.js";

/** What `--store` names for a matrix or a bisection: releases listed, or every release in a range. */
export type ReleaseSet = { kind: "list"; versions: string[] } | { kind: "range"; from: string; to: string };

/** A `--store` value that is not a release set: the CLI exits 2 with the message. */
export class ReleaseSetError extends Error {
  override readonly name = "ReleaseSetError";
}

const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

function version(text: string, spec: string): string {
  const bare = text.trim().replace(/^openclaw@/, "");
  if (!VERSION.test(bare)) throw new ReleaseSetError(`--store ${spec}: ${JSON.stringify(text)} is not an exact version (e.g. 2026.5.6)`);
  return bare;
}

/**
 * `openclaw@A..B` (every published release from A to B) or `openclaw@A,B,C` (those releases;
 * `openclaw@A,openclaw@B` too).
 *
 * @example parseReleaseSet("openclaw@2026.2.1..2026.5.6") // { kind: "range", from: "2026.2.1", to: "2026.5.6" }
 */
export function parseReleaseSet(spec: string): ReleaseSet {
  if (!spec.startsWith("openclaw@")) throw new ReleaseSetError(`--store ${spec}: give releases as openclaw@A..B or openclaw@A,B`);
  const body = spec.slice("openclaw@".length);
  if (body.includes("..")) {
    const [from, to, ...rest] = body.split("..");
    if (rest.length > 0 || !from || !to) throw new ReleaseSetError(`--store ${spec}: a range is openclaw@A..B`);
    const range = { kind: "range" as const, from: version(from, spec), to: version(to, spec) };
    if (compareVersions(range.from, range.to) > 0) throw new ReleaseSetError(`--store ${spec}: ${range.from} comes after ${range.to}`);
    return range;
  }
  const versions = body.split(",").map((part) => version(part, spec));
  return { kind: "list", versions: [...new Set(sortVersions(versions))] };
}

/**
 * The releases a set names, in version order. A range takes every published version from A to
 * B inclusive, prereleases only when asked; both ends must be published.
 */
export function expandReleaseSet(set: ReleaseSet, published: readonly string[], opts: { prereleases?: boolean } = {}): string[] {
  if (set.kind === "list") {
    const missing = set.versions.filter((v) => !published.includes(v));
    if (missing.length > 0) throw new ReleaseSetError(`openclaw@${missing.join(", openclaw@")} ${missing.length === 1 ? "is" : "are"} not published on the npm registry`);
    return set.versions;
  }
  for (const end of [set.from, set.to]) {
    if (!published.includes(end)) throw new ReleaseSetError(`openclaw@${end} is not published on the npm registry (the range ${set.from}..${set.to} must start and end at releases)`);
  }
  return sortVersions(published).filter(
    (v) => compareVersions(v, set.from) >= 0 && compareVersions(v, set.to) <= 0 && (opts.prereleases || !isPrerelease(v) || v === set.from || v === set.to),
  );
}
