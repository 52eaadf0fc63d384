import type { LimitationId } from "../../src/types.js";

/**
 * Which check a violation failed: with the property and the kinds of operation in the shrunk
 * counterexample, it tells two findings apart (the message carries values, which never count).
 */
export type CheckId =
  | "outcome"
  | "unexpected-write"
  | "content"
  | "tripwire-count"
  | "tripwire-reason"
  | "payload-schema"
  | "payload-field"
  | "acp"
  | "fail-open-outcome"
  | "fail-open-file"
  | "fail-open-payloads"
  | "left-unparseable"
  | "kill-changed-file"
  | "anonymous-temp"
  | "overwrote-unparseable"
  | "accepted-unparseable"
  | "error-unnamed-file"
  | "unattributed-tripwire"
  | "unparseable-look"
  | "lost-write"
  | "oracle-disagreement"
  | "leftover-temp"
  | LimitationId;

/**
 * One way a history breaks a property, at a step. A `lost-write` (the version oracle) also names
 * the property it breaks, the step of the version that dropped the write, that version, and the
 * stale base it was written from (`null`: unknown).
 */
export type Violation = { step: number; actor: string; check: CheckId; message: string; lostWrite?: LostWriteMark };

/** A violation as a timeline or report shows it; files written before violations named their check have none. */
export type ShownViolation = Omit<Violation, "check"> & { check?: string };

export type LostWriteMark = {
  property: "no-lost-update" | "acp-survives";
  droppedAt: number;
  version: string;
  base: string | null;
};

export const violation = (step: number, actor: string, check: CheckId, message: string): Violation => ({
  step,
  actor,
  check,
  message,
});

export const show = (value: unknown): string => JSON.stringify(value);
