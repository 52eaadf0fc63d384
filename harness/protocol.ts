import type { CheckpointName, ExternalStep, GatewayStep } from "./schedule/schema.js";

/** Messages between the parent and its actor processes, over the IPC channel. */

export type ActorInit = {
  type: "init";
  storePath: string;
  storeModule: string;
  throwingEmitter: boolean;
  /** Virtual whole-second mtime for writes, or null for the real clock. */
  coarseSecond: number | null;
  /** Report when each writer ran its mutator and settled (wall clock, ms), for free-running checks. */
  timestamps?: boolean;
};

/** A shared clock across processes of one machine: wall-clock milliseconds with sub-ms precision. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

export type ActorCommand =
  | ActorInit
  | { type: "run"; id: number; step: GatewayStep | ExternalStep; stamp: number; coarseSecond: number | null };

export type ErrorInfo = { name: string; message: string };

export type OpOutcome =
  | { status: "ok"; value?: unknown }
  | { status: "error"; error: ErrorInfo };

export type Capabilities = {
  checkpoints: boolean;
  knownLimitations: string[] | null;
};

export type ActorEvent =
  | { type: "ready"; pid: number; capabilities: Capabilities }
  | { type: "init-failed"; error: ErrorInfo }
  /** A payload emitted after its step was answered (the reply carries the others). */
  | { type: "tripwire"; id: number; payload: unknown }
  | { type: "paused"; id: number; checkpoint: CheckpointName; tripwires?: unknown[]; timing?: ActorTiming }
  | { type: "done"; id: number; outcomes: OpOutcome[]; tripwires?: unknown[]; timing?: ActorTiming };

/** When the actor got a step and answered it (wall clock, ms): where a step's time goes. */
export type ActorTiming = { receivedAt: number; repliedAt: number };

export const toErrorInfo = (error: unknown): ErrorInfo =>
  error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
