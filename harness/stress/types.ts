import type { OpOutcome } from "../protocol.js";
import type { ExternalStep, GatewayStep } from "../schedule/schema.js";

/** One operation of a free-running actor: what it did and when (ms since the start, parent clock). */
export type StressOp = {
  actor: string;
  step: GatewayStep | ExternalStep;
  startedAt: number;
  endedAt: number;
  outcomes: OpOutcome[];
  tripwires: unknown[];
};

/** A look at the file by the parent's monitor while everything ran. */
export type MonitorSample = { at: number; state: "json" | "missing" | "unparseable"; bytes: number; head?: string };

export type StressHistory = {
  storePath: string;
  seconds: number;
  gateways: number;
  externals: number;
  ops: StressOp[];
  samples: MonitorSample[];
  final: { state: "json" | "missing" | "unparseable"; store: Record<string, any> | null };
  leftovers: string[];
};
