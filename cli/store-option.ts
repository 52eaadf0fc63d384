import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { defaultStoreModule } from "../harness/paths.js";
import { ActorPool } from "../harness/pool/pool.js";

export { UsageError } from "../api/errors.js";
import { UsageError } from "../api/errors.js";

export type StoreOptions = { store?: string; node?: string };

/** `--store` (our built store by default) and `--node` (this Node by default), checked. */
export function storeFor(opts: StoreOptions): { storeModule: string; nodePath?: string } {
  const storeModule = opts.store ? resolve(opts.store) : defaultStoreModule;
  if (!existsSync(storeModule)) throw new UsageError(`store module ${storeModule} does not exist`);
  if (opts.node && !existsSync(opts.node)) throw new UsageError(`--node ${opts.node} does not exist`);
  return { storeModule, nodePath: opts.node ? resolve(opts.node) : undefined };
}

export const poolFor = (opts: StoreOptions): ActorPool => new ActorPool(storeFor(opts));

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive whole number, got ${JSON.stringify(value)}`);
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
