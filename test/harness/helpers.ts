import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { FileSnapshot, StepLockedHistory, StepRecord } from "../../harness/history/types.js";
import { defaultStoreModule, projectRoot } from "../../harness/paths.js";
import { ActorPool, type PoolOptions } from "../../harness/pool/pool.js";
import { runSchedule, type RunOptions } from "../../harness/schedule/runner.js";
import { ScheduleSchema, type Schedule, type ScheduleInput } from "../../harness/schedule/schema.js";

/** A store module under test/fixtures (plain ES modules: children run them without a loader). */
export const fixtureModule = (name: string): string => join(projectRoot, "test", "fixtures", name);

/** One warm pool for the whole test file: made in beforeAll, every child killed in afterAll. */
export function usePool(opts: Partial<PoolOptions> = {}): () => ActorPool {
  let pool: ActorPool | undefined;
  beforeAll(() => {
    pool = new ActorPool({ storeModule: defaultStoreModule, ...opts });
  });
  afterAll(async () => {
    await pool?.close();
  });
  return () => {
    if (!pool) throw new Error("usePool: the pool exists only inside tests");
    return pool;
  };
}

export const schedule = (input: ScheduleInput): Schedule => ScheduleSchema.parse(input);

export const run = (input: ScheduleInput, pool: ActorPool, opts?: RunOptions): Promise<StepLockedHistory> =>
  runSchedule(schedule(input), pool, opts);

/** The stat of a snapshot that must show the file present. */
export function statOf(snapshot: FileSnapshot): { mtimeMs: number; size: number; ino: number } {
  if (snapshot.stat.kind !== "present") throw new Error("expected the store file to be present");
  const { mtimeMs, size, ino } = snapshot.stat;
  return { mtimeMs, size, ino };
}

/** The parsed store of a snapshot that must hold valid JSON. */
export function storeOf(snapshot: FileSnapshot): Record<string, any> {
  if (snapshot.content.kind !== "json") throw new Error(`expected a JSON store, found ${snapshot.content.kind}`);
  return snapshot.content.store;
}

export const entry = (key: string, updatedAt: number, fields: Record<string, unknown> = {}) => ({
  sessionId: `sid-${key}`,
  updatedAt,
  ...fields,
});

export const ACP = { backend: "acpx", agent: "codex", state: "bound" } as const;

/** Every tripwire payload of the run, with the index of the step that emitted it. */
export const allTripwires = (history: StepLockedHistory): { index: number; payload: unknown }[] =>
  history.steps.flatMap((record: StepRecord) => record.tripwires.map((payload) => ({ index: record.index, payload })));

/** The expected payloads are the store tests' own builders, under the names these tests use. */
export { stalePayload as statMismatch, missingPayload as missingFile } from "../store/helpers.js";

/** True while a process with this pid exists; false once `kill(pid, 0)` says ESRCH. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** `process.kill(pid, 0)` must throw ESRCH: no process has this pid any more. */
export function expectDead(pid: number): void {
  let code: string | undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    code = (error as NodeJS.ErrnoException).code;
  }
  expect(code, `process ${pid} should be dead`).toBe("ESRCH");
}

/**
 * This test process's run directories in the OS temp dir. tmp-promise names them
 * `drift-run--<pid of the caller>-<random>`, so other test files running alongside never count.
 */
export const ownRunDirs = (): string[] =>
  readdirSync(tmpdir())
    .filter((name) => name.startsWith(`drift-run--${process.pid}-`))
    .sort();

/** Records the pid of every process the pool hands out from now on. */
export function trackAcquired(pool: ActorPool): number[] {
  const pids: number[] = [];
  const acquire = pool.acquire.bind(pool);
  pool.acquire = (role) => {
    const actor = acquire(role);
    pids.push(actor.pid);
    return actor;
  };
  return pids;
}
