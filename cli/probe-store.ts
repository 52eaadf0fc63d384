import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActorPool } from "../harness/pool/pool.js";
import type { Capabilities } from "../harness/protocol.js";

/**
 * Starts one gateway on the store module, in the children's Node, and asks what it can do.
 * A module that does not meet the contract fails here, naming what is missing.
 */
export async function probeStore(pool: ActorPool): Promise<Capabilities> {
  const dir = mkdtempSync(join(tmpdir(), "drift-probe-"));
  const gateway = pool.acquire("gateway");
  try {
    const capabilities = await gateway.init({ type: "init", storePath: join(dir, "sessions.json"), storeModule: pool.storeModule, throwingEmitter: false, coarseSecond: null });
    pool.release(gateway);
    return capabilities;
  } catch (error) {
    await pool.discard(gateway);
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
