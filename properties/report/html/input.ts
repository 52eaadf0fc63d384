import { readFileSync } from "node:fs";
import { z } from "zod";
import { HistoryFileError, parseHistory } from "../../../harness/history/schema.js";
import { describeIssues } from "../../../harness/json-path.js";
import type { History, StepLockedHistory } from "../../../harness/history/types.js";
import type { ShownViolation } from "../../checks/violation.js";

/** How one property came out on one store, when the report comes from a replayed scenario. */
export type ReportVerdict = {
  property: string;
  store?: string;
  expected: "holds" | "fails";
  held: boolean;
  ok: boolean;
};

/** Everything the HTML report shows. */
export type ReportInput = {
  history: StepLockedHistory;
  violations: ShownViolation[];
  /** The property whose violations are highlighted, named in the banner. */
  failedProperty?: string | null;
  /** Where the history came from: the input file, and the scenario when one was replayed. */
  source?: { file?: string; scenario?: string; reference?: string; story?: string; store?: string };
  verdicts?: ReportVerdict[];
};

/** An input file the report cannot use: the message names the file and what is wrong. */
export class ReportInputError extends Error {
  override readonly name = "ReportInputError";
}

const LostWriteSchema = z.strictObject({
  property: z.enum(["no-lost-update", "acp-survives"]),
  droppedAt: z.number().int(),
  version: z.string(),
  base: z.string().nullable(),
});
const ViolationSchema = z.strictObject({
  step: z.number().int(),
  actor: z.string(),
  check: z.string().optional(),
  message: z.string(),
  lostWrite: LostWriteSchema.optional(),
});

/** A history with what was found in it, as `report` accepts it. */
export const WrappedHistorySchema = z.looseObject({
  history: z.unknown(),
  violations: z.array(ViolationSchema).default([]),
  failedProperty: z.string().nullable().optional(),
});

/** What an input file holds: a history (bare or wrapped), ready to render, or a scenario to replay. */
export type ReportSource = { kind: "history"; input: ReportInput } | { kind: "scenario" };

/**
 * Reads a report input file and tells a history (a `History`, or `{ history, violations,
 * failedProperty }`) from a scenario file (`name`, `schedule`, `expect`). A scenario is only
 * recognized here; the caller loads and replays it.
 */
export function readReportSource(file: string): ReportSource {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ReportInputError(`${file}: cannot read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ReportInputError(
      `${file}: expected a JSON object (a history or a scenario), found ${raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw}`,
    );
  }
  if ("history" in raw) {
    const parsed = WrappedHistorySchema.safeParse(raw);
    if (!parsed.success)
      throw new ReportInputError(
        `${file}: not a usable { history, violations, failedProperty }: ${describeIssues(parsed.error)}`,
      );
    const { violations, failedProperty } = parsed.data;
    const history = drawable(readHistory(parsed.data.history, file, ["history"]), file);
    return {
      kind: "history",
      input: { history, violations, failedProperty: failedProperty ?? null, source: { file } },
    };
  }
  if ("steps" in raw || "version" in raw) {
    return {
      kind: "history",
      input: {
        history: drawable(readHistory(raw, file), file),
        violations: [],
        failedProperty: null,
        source: { file },
      },
    };
  }
  if ("schedule" in raw) return { kind: "scenario" };
  throw new ReportInputError(
    `${file}: neither a history (version, steps, …), a { history, violations, failedProperty } object nor a scenario (name, schedule, expect)`,
  );
}

/** The report draws a file between steps; a free-running history has no such looks. */
function drawable(history: History, file: string): StepLockedHistory {
  if (history.mode === "step-locked") return history;
  throw new ReportInputError(
    `${file}: a free-running (stress) history has no look at the file between steps to draw; the report draws step-locked runs`,
  );
}

function readHistory(raw: unknown, file: string, at: PropertyKey[] = []): History {
  try {
    return parseHistory(raw, file, at);
  } catch (error) {
    if (error instanceof HistoryFileError) throw new ReportInputError(error.message);
    throw error;
  }
}
