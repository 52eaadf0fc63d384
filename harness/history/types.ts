import type { Capabilities, OpOutcome } from "../protocol.js";
import type { Schedule, Step } from "../schedule/schema.js";

/** The file as one observer saw it between two steps. */
export type FileStatRecord = { kind: "missing" } | { kind: "present"; mtimeMs: number; size: number; ino: number };

export type FileContent =
  | { kind: "missing" }
  | { kind: "unparseable"; bytes: number }
  | { kind: "json"; store: Record<string, any> };

export type FileSnapshot = {
  stat: FileStatRecord;
  /** sha256 of the bytes (hex, 16 chars), null when missing. */
  hash: string | null;
  content: FileContent;
};

/** How a step ended: its operations' outcomes, held at a checkpoint, or its process killed. */
export type StepEnd =
  | { kind: "done"; outcomes: OpOutcome[] }
  | { kind: "paused"; checkpoint: "after-load" | "before-rename" }
  | { kind: "restarted"; killedPid: number; killedWhilePaused: boolean }
  /**
   * A writer of the step waits for a lock file (`lock`, its name beside the store) that a writer
   * killed while held left behind; its outcome is null, still waiting when the step ended.
   */
  | { kind: "blocked"; lock: string; outcomes: (OpOutcome | null)[] };

/**
 * When one operation touched the file, in ms since the run started on the shared monotonic
 * clock (`sharedClockMs`): a writer from its call to its settling, an external from its read
 * to its rename. Another process can undo it only with a window that meets this one.
 */
export type TimeWindow = { from: number; to: number };

/** A version of the store file: the sha256 of its bytes (hex, 16 chars, as `FileSnapshot.hash`), or `missing`. */
export type VersionHash = string;

/** The two numbers of a stat the contract compares; `null`: the file was missing. */
export type StatPair = { mtimeMs: number; size: number } | null;

/**
 * The version a write was based on: what its writer read before its mutator ran (`read`), or,
 * when it read nothing (a cache hit), the last version its process read or produced (`cached`),
 * with the file's stat at its load and the stat that version was known with: equal stats on
 * different bytes is `coarse-mtime`. `at`: when the read began, or when the cached version was
 * read or renamed in (a cache is as old as what it holds). `unknown`: nothing read or known.
 */
export type BaseVersion =
  | { kind: "read"; hash: VersionHash; at: number }
  | { kind: "cached"; hash: VersionHash; at: number; statAtLoad: StatPair; knownStat: StatPair }
  | { kind: "unknown"; at: number };

/**
 * The version a write put in place, when (`at`: the rename or the in-place write, on the run's
 * clock) and what it holds, as the entries that differ from its base's (`null`: removed; a
 * base that was missing, unparseable or unknown counts as `{}`), so a long stress run carries
 * each write's few entries rather than the whole store every time.
 */
export type ProducedVersion = {
  hash: VersionHash;
  at: TimeWindow;
  content: { kind: "json"; changes: Record<string, unknown> } | { kind: "unparseable" } | { kind: "missing" };
};

/** One write's versions: what it was based on, and what it produced (`null`: nothing landed). */
export type WriteVersions = {
  base: BaseVersion;
  produced: ProducedVersion | null;
  /**
   * A writer that read the file again after its mutator ran, before its rename (a store that
   * re-checks): when it last looked (read or stat). A change that landed after that is in the
   * window no store can close against a process that takes no lock.
   */
  recheckedAt?: number;
};

/**
 * One operation of one process, as Jepsen records it: what was invoked (`step`), by which
 * process, when the parent sent it and had its completion (`startedAt`, `endedAt`), how it
 * ended, when each of its operations touched the file, and the tripwires it received.
 * Every time is in ms since the run started, on the shared monotonic clock.
 */
export type OperationRecord = {
  index: number;
  step: Step;
  pid: number | null;
  startedAt: number;
  endedAt: number;
  end: StepEnd;
  /** One per outcome of a `done` or `blocked` end, in order (a batch has several); empty otherwise. */
  windows: TimeWindow[];
  /** One per outcome, as `windows`: the write's versions, `null` for a read (or a write that saw no file call). */
  versions: (WriteVersions | null)[];
  /** Tripwire payloads the step's gateway handed to its emitter, in order, exactly as received. */
  tripwires: unknown[];
};

/** A step-locked operation: the file is looked at before and after it, as nothing else runs. */
export type StepRecord = OperationRecord & { before: FileSnapshot; after: FileSnapshot };

/** A payload that reached the parent with no step to attribute it to: a dropped signal otherwise. */
export type UnattributedTripwire = { actor: string; pid: number; payload: unknown };

type HistoryCommon = {
  version: 1;
  storePath: string;
  storeModule: string;
  capabilities: Capabilities;
  /** Files beside the store when the run ended (e.g. temps of killed writers). */
  leftovers: string[];
  unattributedTripwires: UnattributedTripwire[];
};

/** A schedule run one step at a time (`runSchedule`). */
export type StepLockedHistory = HistoryCommon & {
  mode: "step-locked";
  schedule: Schedule;
  initial: FileSnapshot;
  steps: StepRecord[];
};

/** A look at the file by the parent's monitor while a free-running loop ran. */
export type MonitorSample = { at: number; state: "json" | "missing" | "unparseable"; bytes: number; head?: string };

/** Every actor looping on its own for a bounded time (`runFreeRunning`): the parent only watches. */
export type FreeRunningHistory = HistoryCommon & {
  mode: "free-running";
  run: { seconds: number; gateways: number; externals: number; seed: number };
  /** In the order they started. */
  steps: OperationRecord[];
  samples: MonitorSample[];
  final: FileSnapshot;
};

/** Every run's record, whichever mode ran it: one type for every checker. */
export type History = StepLockedHistory | FreeRunningHistory;
