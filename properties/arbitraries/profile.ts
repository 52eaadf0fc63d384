import type { WriterOp } from "../../harness/schedule/schema.js";
import type { MotifKind } from "./motif.js";

/** Every kind of step a schedule can hold, as the arbitraries name them. */
export type StepKind =
  | "write"
  | "batch"
  | "read"
  | "pause"
  | "restart"
  | "external-write"
  | "delete-file"
  | "same-second-edit"
  | "rewrite-in-place"
  | "bad-edit"
  | "tick";

/**
 * How a property's schedules are shaped: how many processes, and how often each kind of step
 * comes. A property that must find a rare interleaving weights it up rather than hoping.
 */
export type Profile = {
  gateways: { min: number; max: number };
  externals: { min: number; max: number };
  coarseClock: "never" | "sometimes" | "always";
  maxSteps: number;
  steps: Partial<Record<StepKind, number>>;
  writerOps?: Partial<Record<WriterOp["op"], number>>;
  /** Short runs of steps drawn whole (see `motif.ts`), weighted against the single steps' sum. */
  motifs?: Partial<Record<MotifKind, number>>;
  throwingEmitter?: boolean;
  /** Start from an existing store file: always, or now and then (the default). */
  initialStore?: "always" | "sometimes";
  /** Restarts only of gateways that hold a writer mid-write (see `place`); any gateway by default. */
  killsHeldOnly?: boolean;
};

export const everything: Profile = {
  gateways: { min: 1, max: 3 },
  externals: { min: 0, max: 2 },
  coarseClock: "sometimes",
  maxSteps: 16,
  steps: {
    write: 10,
    batch: 2,
    read: 2,
    pause: 2,
    restart: 1,
    "external-write": 3,
    "delete-file": 1,
    "same-second-edit": 2,
    "rewrite-in-place": 1,
    "bad-edit": 1,
    tick: 1,
  },
};

/**
 * How many gateway processes a schedule of this profile kills on average (each `restart` costs
 * a process start), relative across profiles: the share of restart steps times the longest
 * schedule. What runs longest goes first when properties share the machine.
 */
export function killsPerSchedule(profile: Profile): number {
  const weights = Object.values(profile.steps).reduce((sum, weight) => sum + (weight ?? 0), 0);
  return weights === 0 ? 0 : ((profile.steps.restart ?? 0) / weights) * profile.maxSteps;
}
