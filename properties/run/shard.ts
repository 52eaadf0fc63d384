/** One shard of a CI matrix: `index` of `count`, 1-based as `vitest --shard` counts. */
export type Shard = { index: number; count: number };

/**
 * The seed a shard explores with: every shard of one base seed gets its own, so n machines
 * explore n disjoint parts of the seed space (fast-check draws every schedule from its seed).
 */
export const shardSeed = (base: number, shard: Shard): number =>
  Number((BigInt(base) + BigInt(shard.index - 1) * 2654435761n) % 2147483647n);

/** Without a seed, shards of one CI run must still agree on a base: today's UTC date. */
export const dailyBaseSeed = (): number => Number(new Date().toISOString().slice(0, 10).replaceAll("-", ""));
