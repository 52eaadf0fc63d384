import { closeSync, openSync, writeFileSync, readdirSync, utimesSync } from "node:fs";
import { killLeavesLock } from "./lock-file.js";
import { basename, join } from "node:path";
import { dirSync } from "tmp-promise";
import { advanceFileClock } from "../faults/mtime.js";
import { snapshotFile } from "../history/snapshot.js";
import type { FileSnapshot, StepLockedHistory, StepEnd, StepRecord, TimeWindow } from "../history/types.js";
import type { ActorProcess } from "../pool/actor-process.js";
import type { ActorPool } from "../pool/pool.js";
import { sharedClockMs, type Capabilities } from "../protocol.js";
import { isGatewayActor, isGatewayStep, type Schedule, type Step } from "./schema.js";
import { round, TripwireAttribution, windowsSince } from "./tripwire-attribution.js";
import { findScheduleIssues } from "./validate.js";
import { versionsSince } from "./versions-since.js";

/** The virtual clock's first second in coarse mode (a fixed instant keeps runs identical). */
export const COARSE_EPOCH_SECOND = 1_790_000_000;

/** How long a held writer may take to settle after its run before its process is killed instead. */
const RELEASE_LIMIT_MS = 2_000;

/** The real-clock probe file in each run's directory (see `advanceFileClock`); not a leftover. */
const CLOCK_PROBE = ".drift-clock-probe";

/** A schedule the harness refuses to run; `path` is the JSON path of the offending field. */
export class ScheduleError extends Error {
  override readonly name = "ScheduleError";
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid schedule: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
  }
}

export type RunOptions = {
  /** Called after every step, e.g. for progress. */
  /** Each record as its step ends, frozen: payloads that arrive later are in the history's copy only. */
  onStep?: (record: Readonly<StepRecord>) => void;
  /** Where the run's temp directory is made (default: the OS temp dir), e.g. a FAT mount. */
  tmpRoot?: string;
  /**
   * `advance` (default): make each step's writes later than the last (see advanceFileClock).
   * `as-is`: leave the file system's clock alone, e.g. to let a real 2 s FAT clock collide.
   */
  fileClock?: "advance" | "as-is";
};

/**
 * Runs a schedule step by step in real processes and records the history. The parent waits for
 * each step to end (a paused writer ends its step when it reaches its checkpoint). Every run has
 * its own temp directory, removed at the end; actors go back to the pool or are killed.
 */
export async function runSchedule(
  schedule: Schedule,
  pool: ActorPool,
  opts: RunOptions = {},
): Promise<StepLockedHistory> {
  const issues = findScheduleIssues(schedule);
  if (issues.length > 0) throw new ScheduleError(issues);
  // Synchronous: the asynchronous mkdir and removal cost a run ≈ 1 ms more, in thread-pool hops.
  const tmp = dirSync({ prefix: "drift-run-", unsafeCleanup: true, ...(opts.tmpRoot ? { tmpdir: opts.tmpRoot } : {}) });
  const storePath = join(tmp.name, "sessions.json");
  const actors = new Map<string, ActorProcess>();
  const paused = new Set<string>();
  /** Gateways with a writer waiting in the background for a lock a killed writer left. */
  const blocked = new Set<string>();
  const attribution = new TripwireAttribution();
  let healthy = true;
  let probe: number | undefined;
  try {
    let second = COARSE_EPOCH_SECOND;
    const coarse = () => (schedule.options.coarseClock ? second : null);
    // Real clock: no two steps' writes share an mtime by landing in the same kernel tick.
    const nextTick = () => {
      if (schedule.options.coarseClock || opts.fileClock === "as-is") return;
      probe ??= openSync(join(tmp.name, CLOCK_PROBE), "w");
      advanceFileClock(probe);
    };
    writeInitialFile(storePath, schedule, coarse());
    nextTick();
    const start = async (actor: string): Promise<Capabilities> => {
      const process = pool.acquire(isGatewayActor(actor) ? "gateway" : "external");
      actors.set(actor, process);
      return process.init({
        type: "init",
        storePath,
        storeModule: pool.storeModule,
        throwingEmitter: schedule.options.throwingEmitter,
        coarseSecond: coarse(),
      });
    };
    const ids = [
      ...Array.from({ length: schedule.options.gateways }, (_, i) => `g${i}`),
      ...Array.from({ length: schedule.options.externals }, (_, i) => `x${i}`),
    ];
    const capabilities = (await Promise.all(ids.map(start)))[0]!;
    if (capabilities.storeFiles && schedule.options.initial !== null) {
      throw new ScheduleError([
        {
          path: "options.initial",
          message:
            "the store keeps its content in databases: an initial store cannot be written as a file before step 0",
        },
      ]);
    }
    // The external ops edit the JSON file, which a database store does not read: they would test nothing.
    const firstExternal = schedule.steps.findIndex((step) => step.actor.startsWith("x"));
    if (capabilities.storeFiles && firstExternal >= 0) {
      throw new ScheduleError([
        {
          path: `steps[${firstExternal}]`,
          message:
            "the store keeps its content in databases: the external ops edit sessions.json, which it does not read (faults on its databases are not in the schedule format yet)",
        },
      ]);
    }
    const firstPause = schedule.steps.findIndex((step) => "pause" in step && step.pause);
    if (capabilities.checkpoints === "none" && firstPause >= 0) {
      throw new ScheduleError([
        {
          path: `steps[${firstPause}].pause`,
          message: "the store's writers cannot be held at a checkpoint here: paused merges cannot run",
        },
      ]);
    }
    // Gateways give their writes the virtual second at the before-rename checkpoint: a gateway
    // that cannot reach it would keep real mtimes and the run would silently not be coarse.
    if (capabilities.checkpoints === "none" && schedule.options.coarseClock) {
      throw new ScheduleError([
        {
          path: "options.coarseClock",
          message:
            "the store's writers cannot be held at before-rename here: gateway writes cannot be put on the virtual clock",
        },
      ]);
    }

    // See lock-file.ts: a held writer killed there leaves its lock behind.
    let lockLeftBehind = false;
    const t0 = sharedClockMs();
    // A store kept in databases is looked at by its reader (history/sqlite-snapshot.ts).
    const files = capabilities.storeFiles;
    const look = files ? () => pool.snapshotReader(files).read(storePath) : async () => snapshotFile(storePath);
    const initial = await look();
    let before: FileSnapshot = initial;
    const records: StepRecord[] = [];
    for (const [index, step] of schedule.steps.entries()) {
      const startedAt = sharedClockMs() - t0;
      let end: StepEnd;
      let tripwires: unknown[] = [];
      let windows: TimeWindow[] = [];
      let versions: StepRecord["versions"] = [];
      let pid: number | null = null;
      let answered: { process: ActorProcess; id: number } | undefined;
      if (step.actor === "clock") {
        second += 1;
        end = { kind: "done", outcomes: [] };
      } else if (isGatewayStep(step) && step.op === "restart") {
        const old = actors.get(step.actor)!;
        pid = old.pid;
        attribution.collect(old, step.actor);
        // The replacement (a warm spare, its store module already imported) starts while the old
        // process dies; the step ends, and the file is looked at, only once both are done.
        await Promise.all([pool.discard(old), start(step.actor)]);
        const killedWhilePaused = paused.delete(step.actor);
        blocked.delete(step.actor);
        if (killLeavesLock(capabilities.serialization, killedWhilePaused)) lockLeftBehind = true;
        end = { kind: "restarted", killedPid: pid, killedWhilePaused };
      } else {
        const actor = actors.get(step.actor)!;
        pid = actor.pid;
        const reply = await actor.run(step as Exclude<Step, { actor: "clock" }>, index, coarse(), lockLeftBehind);
        tripwires = reply.tripwires;
        answered = { process: actor, id: reply.id };
        if (reply.kind === "paused") {
          paused.add(step.actor);
          end = { kind: "paused", checkpoint: reply.checkpoint };
        } else if (reply.kind === "blocked") {
          blocked.add(step.actor);
          end = { kind: "blocked", lock: basename(reply.lock), outcomes: reply.outcomes };
          windows = windowsSince(t0, reply.windows);
          versions = versionsSince(t0, reply.versions);
        } else {
          if (isGatewayStep(step) && step.op === "resume") paused.delete(step.actor);
          end = { kind: "done", outcomes: reply.outcomes };
          windows = windowsSince(t0, reply.windows);
          versions = versionsSince(t0, reply.versions);
        }
      }
      const after = await look();
      const record: StepRecord = {
        index,
        step,
        pid,
        startedAt: round(startedAt),
        endedAt: round(sharedClockMs() - t0),
        end,
        windows,
        versions,
        before,
        after,
        tripwires,
      };
      records.push(record);
      if (answered) attribution.note(answered.process, answered.id, record);
      for (const [name, process] of actors) attribution.collect(process, name);
      opts.onStep?.(Object.freeze(record));
      before = after;
      nextTick();
    }
    const own = ownFiles(capabilities);
    const leftovers = readdirSync(tmp.name)
      .filter((name) => name !== basename(storePath) && name !== CLOCK_PROBE && !own.has(name))
      .sort();
    for (const [name, process] of actors) attribution.collect(process, name);
    return {
      version: 1,
      mode: "step-locked",
      storePath,
      storeModule: pool.storeModule,
      capabilities,
      schedule,
      initial,
      steps: records.map((record) => attribution.withLate(record)),
      leftovers,
      unattributedTripwires: attribution.unattributed,
    };
  } catch (error) {
    healthy = false;
    throw error;
  } finally {
    if (probe !== undefined) closeSync(probe);
    // A held writer is let go and waited for, so its process serves the next run; one that does
    // not settle, a writer blocked on a lock a killed writer left, or any process of a failed
    // run, is killed. Before the directory goes.
    await Promise.all(
      [...actors].map(async ([name, actor]) => {
        const reusable =
          healthy &&
          !blocked.has(name) &&
          (!paused.has(name) || (await actor.releaseHeldWriter(name, RELEASE_LIMIT_MS)));
        if (reusable) pool.release(actor);
        else await pool.discard(actor);
      }),
    );
    tmp.removeCallback();
  }
}

/** A database store's own files beside the store path (its database, -wal, -shm, -journal, state dir): not leftovers. */
function ownFiles(capabilities: Capabilities): Set<string> {
  const files = capabilities.storeFiles;
  if (!files) return new Set();
  return new Set([
    ...["", "-wal", "-shm", "-journal"].map((suffix) => `${files.database}${suffix}`),
    files.acpDatabase.split("/")[0]!,
  ]);
}

function writeInitialFile(storePath: string, schedule: Schedule, second: number | null): void {
  if (schedule.options.initial === null) return;
  const store = Object.fromEntries(
    Object.entries(schedule.options.initial).map(([key, entry]) => [
      key,
      { sessionId: `sid-${key}`, updatedAt: 0, ...entry },
    ]),
  );
  writeFileSync(storePath, `${JSON.stringify(store, null, 2)}\n`);
  if (second !== null) utimesSync(storePath, second, second);
}
