import type { TimeWindow, WriteVersions } from "./history/types.js";
import type { CheckpointName, ExternalStep, GatewayStep } from "./schedule/schema.js";

// Messages between the parent and its actor processes, over the IPC channel.

/** The first message to an actor: which store file and module, and how to emit. */
export type ActorInit = {
  type: "init";
  storePath: string;
  storeModule: string;
  throwingEmitter: boolean;
  /** Virtual whole-second mtime for writes, or null for the real clock. */
  coarseSecond: number | null;
};

/**
 * One clock for every process of the machine, in ms with ns precision: CLOCK_MONOTONIC, as
 * `process.hrtime` reads it. `performance.timeOrigin + now()` differs between processes by tens
 * of µs (each takes its origin from the wall clock at its start), enough to make two windows
 * that met look apart.
 */
export const sharedClockMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export type ActorCommand =
  | ActorInit
  /**
   * `lockLeftBehind`: a writer of a `lock-file` store was killed while held, so its lock file is
   * still there; a writer of this step that finds it ends the step `blocked` (lock-wait.ts).
   * `init`: on the first step a warm process takes in a run, that run's init; the process resets
   * to it before the step, as an `init` command would, without a round trip of its own.
   */
  | {
      type: "run";
      id: number;
      step: GatewayStep | ExternalStep;
      stamp: number;
      coarseSecond: number | null;
      lockLeftBehind?: boolean;
      init?: ActorInit;
    };

export type ErrorInfo = { name: string; message: string };

export type OpOutcome = { status: "ok"; value?: unknown } | { status: "error"; error: ErrorInfo };

/**
 * How the harness holds a writer at a checkpoint: `hook`, through the store's
 * `_setSessionStoreWriterCheckpointForTest`; `fs`, at the file-system boundary (gateway.ts),
 * for a store without that seam; `none`, not at all (an external).
 */
export type CheckpointMode = "hook" | "fs" | "none";

export type Capabilities = {
  checkpoints: CheckpointMode;
  knownLimitations: string[] | null;
  /** What the store declares it lacks (a release through its adapter: no tripwire, a lock file, …). */
  absent?: AbsentFeature[];
  /**
   * Whether the store emits the tripwire at all (its `storeCapabilities.tripwire`; a contract
   * store does). Absent means true. A store that has no emitter (an adapted release) declares
   * false, and the properties about the payload are then not explorable.
   */
  tripwire?: boolean;
  /**
   * How the store serializes writers across processes (its `storeCapabilities.serialization`;
   * absent: `queue`, in-process only). `lock-file`: a writer holds an exclusive file beside the
   * store (created with `open(…, "wx")`) from before its load until after its rename, so a
   * writer held at either checkpoint holds it, and one killed there leaves it behind.
   */
  serialization?: "queue" | "lock-file" | "sqlite";
  /**
   * `sqlite` (a SQLite-era openclaw release): writers commit row diffs in `BEGIN IMMEDIATE`
   * transactions (a writer held before COMMIT holds the database's write lock; others wait
   * out `busy_timeout`), a conflicting write fails with the release's conflict error and changes
   * nothing; the store's content is not `storePath` but the databases `storeFiles` names.
   */
  storeFiles?: StoreFiles;
  /**
   * Part of the message of the error a store fails a conflicting write with (SQLite releases:
   * "SQLite session entry changed before store projection"): such a write must change nothing.
   */
  conflictError?: string;
  /**
   * Whether the writer serves its load from a cache while the file's stat matches (its
   * `storeCapabilities.writerCache`; absent means true, as the contract's writer path does).
   * false: every write re-reads the file (e.g. inside its lock), so there is no stale writer
   * cache, and `coarse-mtime` is not explorable.
   */
  writerCache?: boolean;
};

/**
 * Where a store that does not keep one JSON file keeps its content, relative to the store
 * path's directory: the parent's snapshot reader reads these instead (history/sqlite-snapshot.ts).
 */
export type StoreFiles = {
  kind: "sqlite";
  database: string;
  acpDatabase: string;
  /** The module (absolute path) the snapshot reader child runs, on the store's Node: it knows the store's tables. */
  reader: string;
};

/** A part of the contract a store does not have, and why: reported as "absent", never as a crash. */
export type AbsentFeature = { feature: string; reason: string };

export type ActorEvent =
  | { type: "ready"; pid: number; capabilities: Capabilities }
  | { type: "init-failed"; error: ErrorInfo }
  /** A payload emitted after its step was answered (the reply carries the others). */
  | { type: "tripwire"; id: number; payload: unknown }
  /** `hold: "sync"`: held inside a synchronous file call; until resumed, commands go over the hold pipe (hold-pipe.ts). */
  | {
      type: "paused";
      id: number;
      checkpoint: CheckpointName;
      tripwires?: unknown[];
      timing?: ActorTiming;
      hold?: "sync";
    }
  | {
      type: "done";
      id: number;
      outcomes: OpOutcome[];
      windows: ClockWindow[];
      versions: ActorVersions;
      tripwires?: unknown[];
      timing?: ActorTiming;
    }
  /**
   * A writer of the step waits for a lock file a killed writer left (`lock`): its outcome is
   * `null` (still waiting when the step ended); the others' as in `done`. The waiting writer
   * goes on in the background, so the process is not reused.
   */
  | {
      type: "blocked";
      id: number;
      lock: string;
      outcomes: (OpOutcome | null)[];
      windows: ClockWindow[];
      versions: ActorVersions;
      tripwires?: unknown[];
      timing?: ActorTiming;
    };

/** One per outcome, as the windows: each write's versions, with times on the shared clock (ms: sharedClockMs). */
export type ActorVersions = (WriteVersions | null)[];

/**
 * When one operation touched the file, on the shared clock (ms: sharedClockMs), as the actor
 * measured it: the history's `TimeWindow` before it is put on the run's clock (`windowsSince`).
 */
export type ClockWindow = TimeWindow;

/** When the actor got a step and answered it (shared clock, ms: sharedClockMs): where a step's time goes. */
export type ActorTiming = { receivedAt: number; repliedAt: number };

export const toErrorInfo = (error: unknown): ErrorInfo =>
  error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
