import type { FileStatRecord } from "../../harness/history/types.js";
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
  | { status: "error"; because: "mutator" | "unparseable" | "harness" };

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

