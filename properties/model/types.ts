import type { FileSnapshot, FileStatRecord } from "../../harness/history/types.js";
import type { CheckpointName, Step } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";

export type StoreData = Record<string, any>;
export type PresentStat = Extract<FileStatRecord, { kind: "present" }>;

/** A tripwire the model expects, in order, for one step. */
export type ExpectedTripwire =
  | {
      kind: "contract";
      reason: "stat_mismatch" | "missing_file";
      expected: { mtimeMs: number; size: number };
      observed: { mtimeMs: number; size: number } | null;
    }
  /** A signal the contract does not define, required only of a store that closed a limitation. */
  | { kind: "closed-limitation"; limitation: LimitationId };

/** What one writer or reader operation must end with. */
export type ExpectedOutcome =
  | { status: "ok" }
  | { status: "ok-read"; value: StoreData; alternatives?: StoreData[] }
  | { status: "error"; because: "mutator" | "unparseable" | "harness" | "conflict" };

/** What the file must hold after the step. */
export type ExpectedContent =
  | { kind: "store"; store: StoreData }
  | { kind: "unchanged" }
  /** An external actor's step: whatever it wrote is the environment, not a prediction. */
  | { kind: "external" };

/**
 * A point where the design the contract wants ("no external change is lost or unsignalled")
 * and the seed design part: the limitation it belongs to, and what a store without it does.
 */
export type Anomaly = {
  limitation: LimitationId;
  step: number;
  actor: string;
  detail: string;
  /** The closed design: at least one tripwire at this step, and this content after it. */
  closed: { content: StoreData | "unchanged" };
};

export type StepPrediction = {
  index: number;
  /** Which of the contract's allowed behaviours this is, in a few words (e.g. "skipped the unchanged write"). */
  branch: string;
  /** The checkpoint a writer of the step must be held at when the step ends, or null: it must not be held. */
  holds: CheckpointName | null;
  tripwires: ExpectedTripwire[];
  outcomes: ExpectedOutcome[] | null;
  content: ExpectedContent;
  anomalies: Anomaly[];
  /**
   * A writer step of a lock-file store after a writer was killed holding the lock (the step
   * index of that restart): it must end `blocked`, waiting for the lock, with nothing written.
   */
  blockedBy: number | null;
};

/**
 * What the model may know of a step: the schedule's step and the file as the step found it
 * (the environment: whatever earlier steps and other processes left). Never how the step
 * ended, what it returned or wrote: `statAfter` is only the value a landed write's cache
 * entry records (a stat cannot be predicted), never a reason to choose a branch.
 */
export type StepInput = { index: number; step: Step; before: FileSnapshot; statAfter: FileStatRecord };
