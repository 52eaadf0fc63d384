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

/**
 * Schedules per property in `npm test`: half of each property's own count, with the fixed seed.
 * `npm run explore` (and the findings runs) use the whole count; the broken variants show that
 * these runs find what they must.
 */
export const testRuns = (property: { defaultRuns: number }): number => Math.ceil(property.defaultRuns / 2);
