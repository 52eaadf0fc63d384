/**
 * The gateway actor: one process with its own cache and queue, running in-process writers and
 * readers of the store module under test, forwarding every tripwire payload to the parent, and
 * holding a writer at a checkpoint until the parent resumes it.
 *
 * A store with `_setSessionStoreWriterCheckpointForTest` is held through that hook. A store
 * without it (any real store) is held at its boundary with the harness instead:
 * - `after-load`: when the writer calls the harness's mutator. That is after the last read of
 *   the store file the writer makes before its mutator runs, however many it makes (a lock
 *   file, a re-read inside the lock) and also when it reads nothing (a cache hit: a stat only).
 *   A file-call wrapper cannot tell the last read from an earlier one when it sees it; the
 *   mutator call comes after all of them by definition. The mutator holds by returning a
 *   promise, which the contract says the writer awaits.
 * - `before-rename`: inside the writer's rename onto the store path (rename-checkpoint.ts),
 *   before the rename is made. A synchronous `renameSync` is held synchronously: the main
 *   thread blocks on the hold pipe (hold-pipe.ts), which then carries the parent's commands.
 */
import { dirname } from "node:path";
import { setWholeSecondMtime, stampWriterTemps } from "../faults/mtime.js";
import { allowedAcpDrops, applyWriterOp, batchOpStamp } from "../schedule/mutations.js";
import type { CheckpointName, GatewayStep, WriterOp } from "../schedule/schema.js";
import {
  toErrorInfo,
  sharedClockMs,
  type ActorCommand,
  type ActorInit,
  type CheckpointMode,
  type ClockWindow,
  type OpOutcome,
} from "../protocol.js";
import { sendSync } from "./hold-pipe.js";
import { Holds, type Pause } from "./hold.js";
import { installRenameCheckpoint, type CallMode } from "./rename-checkpoint.js";
import { installLockWatch, writerCalls } from "./lock-wait.js";
import { installFileVersions, versionCalls, watchStoreFile, WriteTracker } from "./file-versions.js";
import type { WriteVersions } from "../history/types.js";
import { installSqliteCommitCheckpoint, isStoreDatabase } from "./sqlite-commit-checkpoint.js";
import { importStoreModule, type StoreModule } from "./store-module.js";
import { send, serve } from "./channel.js";

/** What this process holds across steps, in one place: the store, the run, the clock, counters. */
const state: {
  store: StoreModule | undefined;
  storeModulePath: string;
  init: ActorInit | undefined;
  checkpoints: CheckpointMode;
  coarseSecond: number | null;
  /** The step a payload emitted now belongs to. */
  tripwireStepId: number;
  /** The running step's: a killed writer's lock file is still beside the store (the rule: schedule/lock-file.ts; the wait: lock-wait.ts). */
  lockLeftBehind: boolean;
  /** Harness mutators called so far: a COMMIT before the write's mutator (schema, registry) is not its before-rename. */
  mutatorsRun: number;
  /** Writers of this process that have been called and have not settled. */
  writersRunning: number;
  /** Payloads of the step still running, sent with its reply: one IPC message per step, not one more per payload. */
  unanswered: { id: number; payloads: unknown[] } | undefined;
} = {
  store: undefined,
  storeModulePath: "",
  init: undefined,
  checkpoints: "none",
  coarseSecond: null,
  tripwireStepId: -1,
  lockLeftBehind: false,
  mutatorsRun: 0,
  writersRunning: 0,
  unanswered: undefined,
};

/** The hold mechanics (hold.ts): a resume sets the coarse second the writer goes on with. */
const holds = new Holds<Timed>((second) => {
  state.coarseSecond = second;
});

// Before any store module is imported: its file calls must be the wrapped ones. The versions'
// wrappers first, so that their rename is the innermost (timed where it lands, not where it held).
installFileVersions();
installRenameCheckpoint(beforeRename);
installLockWatch();
installSqliteCommitCheckpoint(beforeCommit);

// A spare started with its module path imports it at once, so a restart costs no import.
const preloading = process.argv[2] ? importStoreModule(process.argv[2]) : undefined;
preloading?.catch(() => undefined);

async function setUp(command: ActorInit): Promise<void> {
  try {
    if (state.store && state.storeModulePath !== command.storeModule)
      throw new Error("a warm gateway cannot change store module");
    state.store ??=
      process.argv[2] === command.storeModule && preloading
        ? await preloading
        : await importStoreModule(command.storeModule);
    state.storeModulePath = command.storeModule;
  } catch (error) {
    await send({ type: "init-failed", error: toErrorInfo(error) });
    return;
  }
  reset(command);
  await send({
    type: "ready",
    pid: process.pid,
    capabilities: {
      checkpoints: state.checkpoints,
      knownLimitations: state.store.knownLimitations ? [...state.store.knownLimitations] : null,
      ...(state.store.absentFeatures
        ? { absent: state.store.absentFeatures.map(({ feature, reason }) => ({ feature, reason })) }
        : {}),
      tripwire: state.store.storeCapabilities?.tripwire ?? true,
      ...(state.store.storeCapabilities?.serialization
        ? { serialization: state.store.storeCapabilities.serialization }
        : {}),
      ...(state.store.storeCapabilities?.writerCache === false ? { writerCache: false } : {}),
      ...(state.store.storeCapabilities?.storeFiles ? { storeFiles: state.store.storeCapabilities.storeFiles } : {}),
      ...(state.store.storeCapabilities?.conflictError
        ? { conflictError: state.store.storeCapabilities.conflictError }
        : {}),
    },
  });
}

/**
 * The state a run starts from, for the module already imported: the run's store path and
 * clock, no held writer, an empty store cache, this process's emitter and checkpoint hook.
 * An `init` command resets to it, and so does a warm process's first step of a run.
 */
function reset(command: ActorInit): void {
  if (!state.store || state.storeModulePath !== command.storeModule)
    throw new Error(`a warm gateway cannot change store module (${state.storeModulePath} to ${command.storeModule})`);
  state.init = command;
  state.checkpoints = typeof state.store._setSessionStoreWriterCheckpointForTest === "function" ? "hook" : "fs";
  state.coarseSecond = command.coarseSecond;
  holds.clear();
  state.store.clearSessionStoreCacheForTest();
  watchStoreFile(command.storePath);
  state.store._setSessionStoreCacheInvalidatedEmitterForTest((payload) => {
    if (state.unanswered?.id === state.tripwireStepId) state.unanswered.payloads.push(payload);
    else void send({ type: "tripwire", id: state.tripwireStepId, payload });
    if (state.init?.throwingEmitter) throw new Error("tripwire emitter throws on purpose (fail-open check)");
  });
  state.store._setSessionStoreWriterCheckpointForTest?.(onCheckpoint);
}

/**
 * Holds with the main thread blocked, inside a synchronous file call (hold.ts): reads run here,
 * as they would between two awaits of an asynchronous writer, until a `resume`, whose reply
 * goes out on the IPC channel once the writer settles, like any other step's.
 */
function holdSync(held: Pause): void {
  const tripwires = state.unanswered?.id === held.id ? state.unanswered.payloads : [];
  if (state.unanswered?.id === held.id) state.unanswered = undefined;
  holds.holdSync(held, tripwires, (command) => {
    const receivedAt = sharedClockMs();
    const step = command.type === "run" ? (command.step as GatewayStep) : undefined;
    if (command.type === "run" && step?.op === "resume") {
      // Runs synchronously up to the point where it awaits the writer: the hold is released by then.
      dispatch(command, receivedAt);
    } else if (command.type === "run" && step?.op === "read") {
      const read = readStep(step);
      sendSync({
        type: "done",
        id: command.id,
        outcomes: read.map((r) => r.outcome),
        windows: read.map((r) => r.window),
        versions: [null],
        tripwires: [],
        timing: { receivedAt, repliedAt: sharedClockMs() },
      });
    } else {
      const what = command.type === "run" ? `a ${step?.op} step` : `an ${command.type} command`;
      process.stderr.write(
        `gateway ${process.pid} holds a writer inside a synchronous file call and cannot take ${what}\n`,
      );
      process.exit(70);
    }
  });
}

/** Through the store's checkpoint hook. */
async function onCheckpoint(checkpoint: CheckpointName): Promise<void> {
  const held = holds.pendingAt(checkpoint);
  if (held) await holds.holdAsync(held);
  if (checkpoint === "before-rename" && state.coarseSecond !== null) {
    stampWriterTemps(state.init!.storePath, process.pid, state.coarseSecond);
  }
}

/** Every rename of the process, in fs mode: a writer's rename onto the store is its before-rename. */
function beforeRename(from: string, to: string, mode: CallMode): void | Promise<void> {
  if (state.checkpoints !== "fs" || state.writersRunning === 0 || to !== state.init?.storePath) return;
  // The virtual clock: rename keeps the file's own mtime, so the temp gets the second now current.
  const stamp = () => {
    if (state.coarseSecond !== null) setWholeSecondMtime(from, state.coarseSecond);
  };
  const held = holds.pendingAt("before-rename");
  if (!held) return stamp();
  if (mode === "sync") {
    holdSync(held);
    return stamp();
  }
  return holds.holdAsync(held).then(stamp);
}

/** A SQLite store's COMMIT is its before-rename: the write becomes visible there (sqlite-commit-checkpoint.ts). */
function beforeCommit(database: string): void {
  if (state.checkpoints !== "fs" || state.writersRunning === 0 || !state.init) return;
  if (!isStoreDatabase(database, state.init.storePath, state.store?.storeCapabilities?.storeFiles?.database)) return;
  const held = holds.pendingAt("before-rename");
  if (held && state.mutatorsRun > (held.mutatorsBefore ?? 0)) holdSync(held);
}

/**
 * An operation's outcome and when it touched the file (shared clock); `blockedOn`, with no
 * outcome, for a writer still waiting for a lock file a killed writer left.
 */
type Timed =
  | { outcome: OpOutcome; window: ClockWindow; versions: WriteVersions | null; blockedOn?: undefined }
  | { outcome: null; window: ClockWindow; versions: WriteVersions | null; blockedOn: string };

function write(op: WriterOp, stamp: number): Promise<Timed> {
  // The load happens inside the call, before the mutator: the window starts at the call.
  const from = sharedClockMs();
  const tracker = new WriteTracker();
  const apply = (data: Record<string, any>) => {
    tracker.noteMutatorCall();
    state.mutatorsRun++;
    return applyWriterOp(data, op, stamp);
  };
  const holdsAfterLoad = state.checkpoints === "fs" && holds.pendingAt("after-load") !== undefined;
  const mutator = holdsAfterLoad
    ? async (data: Record<string, any>) => {
        const held = holds.pendingAt("after-load");
        if (held) await holds.holdAsync(held);
        return apply(data);
      }
    : apply;
  // A writer that finds the lock a killed writer left could only wait for the store's lock
  // timeout: the step ends `blocked` at once and the writer goes on waiting in the background.
  let blocked: ((lock: string) => void) | undefined;
  const waiting = new Promise<Timed>((resolve) => {
    blocked = (lock) =>
      resolve({ outcome: null, blockedOn: lock, window: { from, to: sharedClockMs() }, versions: tracker.versions() });
  });
  const storePath = state.init!.storePath;
  const onLockTaken = (path: string) => {
    if (state.lockLeftBehind && path !== storePath && dirname(path) === dirname(storePath)) blocked?.(path);
  };
  state.writersRunning++;
  const written = versionCalls
    .run(tracker, () =>
      writerCalls.run(onLockTaken, () =>
        state.store!.updateSessionStore(storePath, mutator, { allowDropAcpMetaSessionKeys: allowedAcpDrops(op) }),
      ),
    )
    .finally(() => state.writersRunning--);
  const settled = written.then(
    (): Timed => ({ outcome: { status: "ok" }, window: { from, to: sharedClockMs() }, versions: tracker.versions() }),
    (error: unknown): Timed => ({
      outcome: { status: "error", error: toErrorInfo(error) },
      window: { from, to: sharedClockMs() },
      versions: tracker.versions(),
    }),
  );
  return Promise.race([settled, waiting]);
}

function readStep(
  step: Extract<GatewayStep, { op: "read" }>,
): { outcome: OpOutcome; window: ClockWindow; versions: null }[] {
  const from = sharedClockMs();
  let outcome: OpOutcome;
  try {
    outcome = {
      status: "ok",
      value: state.store!.loadSessionStore(state.init!.storePath, { skipCache: step.skipCache }),
    };
  } catch (error) {
    outcome = { status: "error", error: toErrorInfo(error) };
  }
  return [{ outcome, window: { from, to: sharedClockMs() }, versions: null }];
}

/** The outcomes of the step's writers or reader, or `paused` when a writer holds at its checkpoint. */
async function runStep(id: number, step: GatewayStep, stamp: number): Promise<Timed[] | "paused"> {
  switch (step.op) {
    case "read":
      return readStep(step);
    case "resume": {
      const held = holds.pause;
      if (!held?.resume || !holds.writer) {
        const at = sharedClockMs();
        return [
          {
            outcome: {
              status: "error",
              error: { name: "HarnessError", message: "no writer is paused on this gateway" },
            },
            window: { from: at, to: at },
            versions: null,
          },
        ];
      }
      holds.pause = undefined;
      // A store that re-checks the file before its rename signals during the resume.
      state.tripwireStepId = id;
      held.resume(state.coarseSecond);
      const outcome = await holds.writer;
      holds.writer = undefined;
      return [outcome];
    }
    case "batch":
      state.tripwireStepId = id;
      return Promise.all(step.ops.map((op, index) => write(op, batchOpStamp(stamp, index))));
    case "restart":
      throw new Error("restart is the parent's job: it kills this process");
    default: {
      state.tripwireStepId = id;
      const { actor: _actor, pause: at, ...op } = step;
      if (!at) return [await write(op as WriterOp, stamp)];
      const reached = new Promise<"paused">((resolve) => {
        holds.pause = { id, at, mutatorsBefore: state.mutatorsRun, reached: () => resolve("paused") };
      });
      holds.writer = write(op as WriterOp, stamp);
      const first = await Promise.race([reached, holds.writer]);
      if (first !== "paused") {
        // The writer ended before its checkpoint (e.g. an unparseable store): nothing is held.
        holds.pause = undefined;
        holds.writer = undefined;
        return [first];
      }
      return "paused";
    }
  }
}

async function handle(command: ActorCommand, receivedAt: number): Promise<void> {
  switch (command.type) {
    case "init":
      return setUp(command);
    case "run": {
      if (command.init) {
        try {
          reset(command.init);
        } catch (error) {
          return send({ type: "init-failed", error: toErrorInfo(error) });
        }
      }
      state.coarseSecond = command.coarseSecond;
      state.lockLeftBehind = command.lockLeftBehind === true;
      const collecting = { id: command.id, payloads: [] as unknown[] };
      state.unanswered = collecting;
      const result = await runStep(command.id, command.step as GatewayStep, command.stamp);
      // A later step (the resume of a synchronous hold) may be collecting by now.
      if (state.unanswered === collecting) state.unanswered = undefined;
      if (holds.answeredWhileHeld.delete(command.id)) return;
      const tripwires = collecting.payloads;
      const timing = { receivedAt, repliedAt: sharedClockMs() };
      const blockedOn = result === "paused" ? undefined : result.find((r) => r.blockedOn !== undefined)?.blockedOn;
      if (result === "paused")
        await send({ type: "paused", id: command.id, checkpoint: holds.pause!.at, tripwires, timing });
      else if (blockedOn !== undefined) {
        await send({
          type: "blocked",
          id: command.id,
          lock: blockedOn,
          outcomes: result.map((r) => r.outcome),
          windows: result.map((r) => r.window),
          versions: result.map((r) => r.versions),
          tripwires,
          timing,
        });
      } else
        await send({
          type: "done",
          id: command.id,
          outcomes: result.map((r) => r.outcome!),
          windows: result.map((r) => r.window),
          versions: result.map((r) => r.versions),
          tripwires,
          timing,
        });
    }
  }
}

const dispatch = serve(handle);
