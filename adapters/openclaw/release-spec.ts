import { ReleaseError } from "./release-error.js";

/** `openclaw@<version>`: a published release of openclaw as the store under test. */
export type ReleaseSpec = { name: "openclaw"; version: string };

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * The release a `--store` value names, or undefined when it is a module path. Only exact
 * versions: a cache entry must never stand for a tag that moves.
 */
export function parseReleaseSpec(spec: string): ReleaseSpec | undefined {
  if (!spec.startsWith("openclaw@")) return undefined;
  const version = spec.slice("openclaw@".length);
  if (!EXACT_VERSION.test(version))
    throw new ReleaseError("missing", `${spec}: give an exact published version, e.g. openclaw@2026.5.6`);
  return { name: "openclaw", version };
}

export const isReleaseSpec = (spec: string): boolean => spec.startsWith("openclaw@");
