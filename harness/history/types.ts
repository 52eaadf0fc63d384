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
  | { kind: "restarted"; killedPid: number; killedWhilePaused: boolean };

/** One record per step. Times are milliseconds since the run started. */
export type StepRecord = {
  index: number;
  step: Step;
  pid: number | null;
  startedAt: number;
  endedAt: number;
  end: StepEnd;
  before: FileSnapshot;
  after: FileSnapshot;
  /** Tripwire payloads the step's gateway handed to its emitter, in order, exactly as received. */
  tripwires: unknown[];
};

export type History = {
  version: 1;
  storePath: string;
  storeModule: string;
  capabilities: Capabilities;
  schedule: Schedule;
  initial: FileSnapshot;
  steps: StepRecord[];
  /** Files beside the store when the run ended (e.g. temps of killed writers). */
  leftovers: string[];
};
