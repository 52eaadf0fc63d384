import { UsageError } from "../api/errors.js";
import type { Shard } from "../properties/run/shard.js";

export type { Shard } from "../properties/run/shard.js";

export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard must be i/n with 1 <= i <= n, got ${JSON.stringify(value)}`);
  return { index, count };
}
