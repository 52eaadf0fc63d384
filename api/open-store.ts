import { ContractError } from "../harness/actors/store-module.js";
import { ActorError } from "../harness/pool/actor-process.js";
import { ActorPool } from "../harness/pool/pool.js";
import type { Capabilities } from "../harness/protocol.js";
import { closedLimitations } from "../properties/run/evaluate.js";
import { probeCapabilities } from "../properties/run/stores.js";
import { LIMITATION_IDS, type LimitationId } from "../src/types.js";
import { UsageError } from "./errors.js";
import { resolveStoreTarget, type TargetOptions } from "./store-target.js";

/** A store ready to explore: its warm pool, what it can do, and the limitations it closed. */
export type OpenStore = {
  pool: ActorPool;
  capabilities: Capabilities;
  closed: ReadonlySet<LimitationId>;
  /** How to name the store to a person (and in a replay command): the release spec, or the module path. */
  label: string;
};

/**
 * Resolves the store, starts its pool and probes it once. A store that cannot start or does
 * not meet the contract is a UsageError naming what is wrong; the pool is closed then.
 */
export async function openStore(opts: TargetOptions): Promise<OpenStore> {
  const { label, ...target } = await resolveStoreTarget(opts);
  const pool = new ActorPool(target);
  try {
    const capabilities = await probeCapabilities(pool);
    return { pool, capabilities, closed: closedLimitations(capabilities.knownLimitations, LIMITATION_IDS), label };
  } catch (error) {
    await pool.close();
    if (error instanceof ActorError || error instanceof ContractError) throw new UsageError(error.message);
    throw error;
  }
}
