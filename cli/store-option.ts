import { resolveStoreTarget } from "../api/store-target.js";
import { ActorPool } from "../harness/pool/pool.js";

export { UsageError } from "../api/errors.js";
import { UsageError } from "../api/errors.js";

export type StoreOptions = { store?: string; node?: string };

/**
 * `--store` (our built store by default; a module path, or `openclaw@<version>` fetched into the
 * cache and adapted) and `--node` (this Node, or one the release needs, by default), checked.
 */
export async function storeFor(opts: StoreOptions): Promise<{ storeModule: string; nodePath?: string }> {
  const { storeModule, nodePath } = await resolveStoreTarget(opts);
  return { storeModule, nodePath };
}

export const poolFor = async (opts: StoreOptions): Promise<ActorPool> => new ActorPool(await storeFor(opts));

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${name} must be a positive whole number, got ${JSON.stringify(value)}`);
    return n;
  };
}

export function anyInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new UsageError(`${name} must be a whole number, got ${JSON.stringify(value)}`);
    return n;
  };
}
