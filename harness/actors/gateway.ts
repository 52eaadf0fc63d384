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
import { readCommandSync, sendSync } from "./hold-pipe.js";
import { installRenameCheckpoint, type CallMode } from "./rename-checkpoint.js";
import { installLockWatch, writerCalls } from "./lock-wait.js";
import { installFileVersions, versionCalls, watchStoreFile, WriteTracker } from "./file-versions.js";
import type { WriteVersions } from "../history/types.js";
import { installSqliteCommitCheckpoint, isStoreDatabase } from "./sqlite-commit-checkpoint.js";
import { importStoreModule, type StoreModule } from "./store-module.js";
import { send, serve } from "./channel.js";

type Pause = {
  id: number;
  at: CheckpointName;
  /** `mutatorsRun` when the step began: a SQLite COMMIT holds only once this write's mutator ran. */
  mutatorsBefore?: number;
  reached: () => void;
  resume?: (coarseSecond: number | null) => void;
};

let store: StoreModule | undefined;
let storeModulePath = "";
let init: ActorInit | undefined;
let checkpoints: CheckpointMode = "none";
let coarseSecond: number | null = null;
let tripwireStepId = -1;
let pause: Pause | undefined;
let pausedWriter: Promise<Timed> | undefined;
/** The running step's: a killed writer's lock file is still beside the store (the rule: schedule/lock-file.ts; the wait: lock-wait.ts). */
let lockLeftBehind = false;
/** Harness mutators called so far: a COMMIT before the write's mutator (schema, registry) is not its before-rename. */
let mutatorsRun = 0;
/** Writers of this process that have been called and have not settled. */
let writersRunning = 0;
/** Steps a synchronous hold answered from inside the blocked call: their handler must not answer again. */
const answeredWhileHeld = new Set<number>();
/** Payloads of the step still running, sent with its reply: one IPC message per step, not one more per payload. */
let unanswered: { id: number; payloads: unknown[] } | undefined;

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
    if (store && storeModulePath !== command.storeModule) throw new Error("a warm gateway cannot change store module");
    store ??=
      process.argv[2] === command.storeModule && preloading
        ? await preloading
        : await importStoreModule(command.storeModule);
    storeModulePath = command.storeModule;
  } catch (error) {
    await send({ type: "init-failed", error: toErrorInfo(error) });
    return;
  }
  reset(command);
  await send({
    type: "ready",
    pid: process.pid,
    capabilities: {
      checkpoints,
      knownLimitations: store.knownLimitations ? [...store.knownLimitations] : null,
      ...(store.absentFeatures
        ? { absent: store.absentFeatures.map(({ feature, reason }) => ({ feature, reason })) }
        : {}),
      tripwire: store.storeCapabilities?.tripwire ?? true,
      ...(store.storeCapabilities?.serialization ? { serialization: store.storeCapabilities.serialization } : {}),
      ...(store.storeCapabilities?.writerCache === false ? { writerCache: false } : {}),
      ...(store.storeCapabilities?.storeFiles ? { storeFiles: store.storeCapabilities.storeFiles } : {}),
      ...(store.storeCapabilities?.conflictError ? { conflictError: store.storeCapabilities.conflictError } : {}),
    },
  });
}

/**
 * The state a run starts from, for the module already imported: the run's store path and
 * clock, no held writer, an empty store cache, this process's emitter and checkpoint hook.
 * An `init` command resets to it, and so does a warm process's first step of a run.
 */
function reset(command: ActorInit): void {
  if (!store || storeModulePath !== command.storeModule)
    throw new Error(`a warm gateway cannot change store module (${storeModulePath} to ${command.storeModule})`);
  init = command;
  checkpoints = typeof store._setSessionStoreWriterCheckpointForTest === "function" ? "hook" : "fs";
  coarseSecond = command.coarseSecond;
  pause = undefined;
  pausedWriter = undefined;
  store.clearSessionStoreCacheForTest();
  watchStoreFile(command.storePath);
  store._setSessionStoreCacheInvalidatedEmitterForTest((payload) => {
    if (unanswered?.id === tripwireStepId) unanswered.payloads.push(payload);
    else void send({ type: "tripwire", id: tripwireStepId, payload });
    if (init?.throwingEmitter) throw new Error("tripwire emitter throws on purpose (fail-open check)");
  });
  store._setSessionStoreWriterCheckpointForTest?.(onCheckpoint);
}

/** The pause of the running step if it waits for this checkpoint and has not been reached. */
const pendingAt = (checkpoint: CheckpointName): Pause | undefined =>
  pause && pause.at === checkpoint && !pause.resume ? pause : undefined;

/** Holds on the event loop: the step is answered `paused`, and a `resume` step settles this. */
function holdAsync(held: Pause): Promise<void> {
  return new Promise<void>((resolve) => {
    held.resume = (second) => {
      coarseSecond = second;
      resolve();
    };
    held.reached();
  });
}

/**
 * Holds with the main thread blocked, inside a synchronous file call: answers the step
 * `paused` on the hold pipe, then serves the parent's commands from it (reads run here, as
 * they would between two awaits of an asynchronous writer) until a `resume`, whose reply goes
 * out on the IPC channel once the writer settles, like any other step's.
 */
function holdSync(held: Pause): void {
  let released = false;
  held.resume = (second) => {
    coarseSecond = second;
    released = true;
  };
  held.reached();
  answeredWhileHeld.add(held.id);
  const tripwires = unanswered?.id === held.id ? unanswered.payloads : [];
  if (unanswered?.id === held.id) unanswered = undefined;
  sendSync({ type: "paused", id: held.id, checkpoint: held.at, tripwires, hold: "sync" });
  while (!released) {
    const command = readCommandSync();
    const receivedAt = sharedClockMs();
    const step = command.type === "run" ? (command.step as GatewayStep) : undefined;
    if (command.type === "run" && step?.op === "resume") {
      // Runs synchronously up to the point where it awaits the writer: `released` is set by then.
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
  }
}

/** Through the store's checkpoint hook. */
async function onCheckpoint(checkpoint: CheckpointName): Promise<void> {
  const held = pendingAt(checkpoint);
  if (held) await holdAsync(held);
  if (checkpoint === "before-rename" && coarseSecond !== null) {
    stampWriterTemps(init!.storePath, process.pid, coarseSecond);
  }
}

/** Every rename of the process, in fs mode: a writer's rename onto the store is its before-rename. */
function beforeRename(from: string, to: string, mode: CallMode): void | Promise<void> {
  if (checkpoints !== "fs" || writersRunning === 0 || to !== init?.storePath) return;
  // The virtual clock: rename keeps the file's own mtime, so the temp gets the second now current.
  const stamp = () => {
    if (coarseSecond !== null) setWholeSecondMtime(from, coarseSecond);
  };
  const held = pendingAt("before-rename");
  if (!held) return stamp();
  if (mode === "sync") {
    holdSync(held);
    return stamp();
  }
  return holdAsync(held).then(stamp);
}

/** A SQLite store's COMMIT is its before-rename: the write becomes visible there (sqlite-commit-checkpoint.ts). */
function beforeCommit(database: string): void {
  if (checkpoints !== "fs" || writersRunning === 0 || !init) return;
  if (!isStoreDatabase(database, init.storePath, store?.storeCapabilities?.storeFiles?.database)) return;
  const held = pendingAt("before-rename");
  if (held && mutatorsRun > (held.mutatorsBefore ?? 0)) holdSync(held);
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
    mutatorsRun++;
    return applyWriterOp(data, op, stamp);
  };
  const holdsAfterLoad = checkpoints === "fs" && pendingAt("after-load") !== undefined;
  const mutator = holdsAfterLoad
    ? async (data: Record<string, any>) => {
        const held = pendingAt("after-load");
        if (held) await holdAsync(held);
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
  const storePath = init!.storePath;
  const onLockTaken = (path: string) => {
    if (lockLeftBehind && path !== storePath && dirname(path) === dirname(storePath)) blocked?.(path);
  };
  writersRunning++;
  const written = versionCalls
    .run(tracker, () =>
      writerCalls.run(onLockTaken, () =>
        store!.updateSessionStore(storePath, mutator, { allowDropAcpMetaSessionKeys: allowedAcpDrops(op) }),
      ),
    )
    .finally(() => writersRunning--);
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
    outcome = { status: "ok", value: store!.loadSessionStore(init!.storePath, { skipCache: step.skipCache }) };
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
      const held = pause;
      if (!held?.resume || !pausedWriter) {
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
      pause = undefined;
      // A store that re-checks the file before its rename signals during the resume.
      tripwireStepId = id;
      held.resume(coarseSecond);
      const outcome = await pausedWriter;
      pausedWriter = undefined;
      return [outcome];
    }
    case "batch":
      tripwireStepId = id;
      return Promise.all(step.ops.map((op, index) => write(op, batchOpStamp(stamp, index))));
    case "restart":
      throw new Error("restart is the parent's job: it kills this process");
    default: {
      tripwireStepId = id;
      const { actor: _actor, pause: at, ...op } = step;
      if (!at) return [await write(op as WriterOp, stamp)];
      const reached = new Promise<"paused">((resolve) => {
        pause = { id, at, mutatorsBefore: mutatorsRun, reached: () => resolve("paused") };
      });
      pausedWriter = write(op as WriterOp, stamp);
      const first = await Promise.race([reached, pausedWriter]);
      if (first !== "paused") {
        // The writer ended before its checkpoint (e.g. an unparseable store): nothing is held.
        pause = undefined;
        pausedWriter = undefined;
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
      coarseSecond = command.coarseSecond;
      lockLeftBehind = command.lockLeftBehind === true;
      const collecting = { id: command.id, payloads: [] as unknown[] };
      unanswered = collecting;
      const result = await runStep(command.id, command.step as GatewayStep, command.stamp);
      // A later step (the resume of a synchronous hold) may be collecting by now.
      if (unanswered === collecting) unanswered = undefined;
      if (answeredWhileHeld.delete(command.id)) return;
      const tripwires = collecting.payloads;
      const timing = { receivedAt, repliedAt: sharedClockMs() };
      const blockedOn = result === "paused" ? undefined : result.find((r) => r.blockedOn !== undefined)?.blockedOn;
      if (result === "paused") await send({ type: "paused", id: command.id, checkpoint: pause!.at, tripwires, timing });
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
