import type { Shard } from "../properties/run/shard.js";

/** Shard i of n takes every n-th release starting at the i-th, so each shard spans the whole range. */
export const shardReleases = (versions: readonly string[], shard: Shard | undefined): string[] =>
  shard ? versions.filter((_, i) => i % shard.count === shard.index - 1) : [...versions];
