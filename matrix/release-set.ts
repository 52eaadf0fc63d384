import { compareVersions, isPrerelease, sortVersions } from "./versions.js";

/**
 * What `--store` names for a matrix or a bisection: releases listed, or every release of one
 * package in a range. `name` is the npm package (openclaw, configstore, conf, lowdb).
 */
export type ReleaseSet =
  | { kind: "list"; releases: { name: string; version: string }[] }
  | { kind: "range"; name: string; from: string; to: string };

/** A `--store` value that is not a release set: the CLI exits 2 with the message. */
export class ReleaseSetError extends Error {
  override readonly name = "ReleaseSetError";
}

const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const NAMED = /^([a-z][a-z0-9-]*)@(.+)$/;

/**
 * A matrix's release as it is kept in cells and printed: an openclaw release by its version
 * (`2026.5.6`, as before there were other packages), any other package's as `<name>@<version>`.
 */
export const releaseLabel = (name: string, version: string): string =>
  name === "openclaw" ? version : `${name}@${version}`;

/** The `--store` value of a matrix release (`openclaw@2026.5.6`, `conf@16.0.0`). */
export const releaseSpec = (release: string): string => (release.includes("@") ? release : `openclaw@${release}`);

function version(text: string, spec: string): string {
  if (!VERSION.test(text))
    throw new ReleaseSetError(
      `--store ${spec}: ${JSON.stringify(text)} is not an exact version (e.g. 2026.5.6, 16.0.0)`,
    );
  return text;
}

/**
 * `<name>@A..B` (every published release from A to B) or `<name>@A,B,C` (those releases;
 * `openclaw@A,openclaw@B` too, and a list may name several packages: `conf@16.0.0,lowdb@7.0.1`;
 * a bare version takes the package named before it).
 *
 * @example parseReleaseSet("openclaw@2026.2.1..2026.5.6") // { kind: "range", name: "openclaw", from: "2026.2.1", to: "2026.5.6" }
 */
export function parseReleaseSet(spec: string): ReleaseSet {
  const head = NAMED.exec(spec.split(",")[0]!.trim());
  if (!head)
    throw new ReleaseSetError(
      `--store ${spec}: give releases as openclaw@A..B or openclaw@A,B (or <package>@A..B for configstore, conf, lowdb)`,
    );
  const name = head[1]!;
  const body = spec.trim().slice(name.length + 1);
  if (body.includes("..")) {
    const [from, to, ...rest] = body.split("..");
    if (rest.length > 0 || !from || !to) throw new ReleaseSetError(`--store ${spec}: a range is ${name}@A..B`);
    const range = { kind: "range" as const, name, from: version(from.trim(), spec), to: version(to.trim(), spec) };
    if (compareVersions(range.from, range.to) > 0)
      throw new ReleaseSetError(`--store ${spec}: ${range.from} comes after ${range.to}`);
    return range;
  }
  let current = name;
  const releases = spec.split(",").map((part) => {
    const named = NAMED.exec(part.trim());
    if (named) current = named[1]!;
    return { name: current, version: version(named ? named[2]! : part.trim(), spec) };
  });
  const names = [...new Set(releases.map((r) => r.name))];
  const ordered = names.flatMap((n) =>
    [...new Set(sortVersions(releases.filter((r) => r.name === n).map((r) => r.version)))].map((v) => ({
      name: n,
      version: v,
    })),
  );
  return { kind: "list", releases: ordered };
}

/** The packages a set names, in the order it names them. */
export const setPackages = (set: ReleaseSet): string[] =>
  set.kind === "range" ? [set.name] : [...new Set(set.releases.map((r) => r.name))];

/**
 * The releases a set names (see `releaseLabel`), in version order per package. A range takes
 * every published version from A to B inclusive, prereleases only when asked; both ends must be
 * published. `published`: the versions of the set's one package, or per package.
 */
export function expandReleaseSet(
  set: ReleaseSet,
  published: readonly string[] | ReadonlyMap<string, readonly string[]>,
  opts: { prereleases?: boolean } = {},
): string[] {
  const of = (name: string): readonly string[] =>
    Array.isArray(published) ? published : ((published as ReadonlyMap<string, readonly string[]>).get(name) ?? []);
  if (set.kind === "list") {
    const missing = set.releases.filter((r) => !of(r.name).includes(r.version)).map((r) => `${r.name}@${r.version}`);
    if (missing.length > 0)
      throw new ReleaseSetError(
        `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not published on the npm registry`,
      );
    return set.releases.map((r) => releaseLabel(r.name, r.version));
  }
  const versions = of(set.name);
  for (const end of [set.from, set.to]) {
    if (!versions.includes(end))
      throw new ReleaseSetError(
        `${set.name}@${end} is not published on the npm registry (the range ${set.from}..${set.to} must start and end at releases)`,
      );
  }
  return sortVersions(versions)
    .filter(
      (v) =>
        compareVersions(v, set.from) >= 0 &&
        compareVersions(v, set.to) <= 0 &&
        (opts.prereleases || !isPrerelease(v) || v === set.from || v === set.to),
    )
    .map((v) => releaseLabel(set.name, v));
}
