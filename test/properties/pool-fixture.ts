import { afterAll, beforeAll } from "vitest";
import { ActorPool } from "../../harness/pool/pool.js";

/** One warm pool per test file, closed (every child killed) after the file. */
export function usePool(storeModule: string): () => ActorPool {
  let pool: ActorPool | undefined;
  beforeAll(() => {
    pool = new ActorPool({ storeModule, stepTimeoutMs: 15_000 });
  });
  afterAll(async () => {
    await pool?.close();
  });
  return () => {
    if (!pool) throw new Error("pool used outside a test");
    return pool;
  };
}

/** Fixed by default so `npm test` is deterministic; DRIFT_SEED explores elsewhere. */
export const TEST_SEED = Number(process.env.DRIFT_SEED ?? 20261125);
