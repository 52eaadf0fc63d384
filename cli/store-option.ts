import { existsSync } from "node:fs";
import { ReleaseError } from "../adapters/openclaw/release-error.js";
import { resolveStoreSpec } from "../adapters/openclaw/resolve-release.js";
import { defaultStoreModule } from "../harness/paths.js";
import { ActorPool } from "../harness/pool/pool.js";

/** Bad usage: the CLI exits 2 with this message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export type StoreOptions = { store?: string; node?: string };

/**
 * `--store` (our built store by default; a module path, or `openclaw@<version>` fetched into the
 * cache and adapted) and `--node` (this Node, or one the release needs, by default), checked.
 */
export async function storeFor(opts: StoreOptions): Promise<{ storeModule: string; nodePath?: string }> {
  if (opts.node && !existsSync(opts.node)) throw new UsageError(`--node ${opts.node} does not exist`);
  let resolved;
  try {
    resolved = await resolveStoreSpec(opts.store ?? defaultStoreModule, { node: opts.node });
  } catch (error) {
    if (error instanceof ReleaseError) throw new UsageError(error.message);
    throw error;
  }
  if (!existsSync(resolved.storeModule)) throw new UsageError(`store module ${resolved.storeModule} does not exist`);
  return { storeModule: resolved.storeModule, nodePath: resolved.nodePath };
}

export const poolFor = async (opts: StoreOptions): Promise<ActorPool> => new ActorPool(await storeFor(opts));

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
