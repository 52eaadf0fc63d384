import { readFileSync } from "node:fs";
import { z } from "zod";
import type { History } from "../../../harness/history/types.js";
import { ScheduleSchema, Step } from "../../../harness/schedule/schema.js";
import type { Violation } from "../../checks/violation.js";

/** A violation as a report shows it; files written before violations named their check have none. */
export type ShownViolation = Omit<Violation, "check"> & { check?: string };

/** How one property came out on one store, when the report comes from a replayed scenario. */
export type ReportVerdict = { property: string; store?: string; expected: "holds" | "fails"; held: boolean; ok: boolean };

/** Everything the HTML report shows. */
export type ReportInput = {
  history: History;
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

const Stat = z.union([
  z.looseObject({ kind: z.literal("missing") }),
  z.looseObject({ kind: z.literal("present"), mtimeMs: z.number(), size: z.number(), ino: z.number() }),
]);
const Content = z.union([
  z.looseObject({ kind: z.literal("missing") }),
  z.looseObject({ kind: z.literal("unparseable"), bytes: z.number() }),
  z.looseObject({ kind: z.literal("json"), store: z.record(z.string(), z.unknown()) }),
]);
const Snapshot = z.looseObject({ stat: Stat, hash: z.string().nullable(), content: Content });
const Outcome = z.union([
  z.looseObject({ status: z.literal("ok"), value: z.unknown().optional() }),
  z.looseObject({ status: z.literal("error"), error: z.looseObject({ name: z.string(), message: z.string() }) }),
]);
const End = z.union([
  z.looseObject({ kind: z.literal("done"), outcomes: z.array(Outcome) }),
  z.looseObject({ kind: z.literal("paused"), checkpoint: z.enum(["after-load", "before-rename"]) }),
  z.looseObject({ kind: z.literal("restarted"), killedPid: z.number(), killedWhilePaused: z.boolean() }),
]);
const StepRecord = z.looseObject({
  index: z.number().int().min(0),
  step: Step,
  pid: z.number().nullable(),
  startedAt: z.number(),
  endedAt: z.number(),
  end: End,
  before: Snapshot,
  after: Snapshot,
  tripwires: z.array(z.unknown()),
});

/** The shape of `History` (harness/history/types.ts), for files read back from disk. */
export const HistorySchema = z
  .looseObject({
    version: z.literal(1),
    storePath: z.string(),
    storeModule: z.string(),
    // Histories recorded before fs checkpoints said `checkpoints: true | false` (the hook, or none).
    capabilities: z.looseObject({
      checkpoints: z.union([z.enum(["hook", "fs", "none"]), z.boolean().transform((hook) => (hook ? "hook" : "none") as "hook" | "none")]),
      knownLimitations: z.array(z.string()).nullable(),
      tripwire: z.boolean().optional(),
    }),
    schedule: ScheduleSchema,
    initial: Snapshot,
    steps: z.array(StepRecord),
    leftovers: z.array(z.string()),
  })
  .superRefine((history, ctx) => {
    history.steps.forEach((record, i) => {
      if (record.index !== i) ctx.addIssue({ code: "custom", path: ["steps", i, "index"], message: `expected ${i} (records in step order)` });
    });
  });

const ViolationSchema = z.strictObject({ step: z.number().int(), actor: z.string(), check: z.string().optional(), message: z.string() });

/** A history with what was found in it, as `report` accepts it. */
export const WrappedHistorySchema = z.looseObject({
  history: HistorySchema,
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
    throw new ReportInputError(`${file}: expected a JSON object (a history or a scenario), found ${raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw}`);
  }
  if ("history" in raw) {
    const parsed = WrappedHistorySchema.safeParse(raw);
    if (!parsed.success) throw new ReportInputError(`${file}: not a usable { history, violations, failedProperty }: ${issues(parsed.error)}`);
    const { history, violations, failedProperty } = parsed.data;
    return { kind: "history", input: { history: history as History, violations, failedProperty: failedProperty ?? null, source: { file } } };
  }
  if ("steps" in raw || "version" in raw) {
    const parsed = HistorySchema.safeParse(raw);
    if (!parsed.success) throw new ReportInputError(`${file}: not a usable history: ${issues(parsed.error)}`);
    return { kind: "history", input: { history: parsed.data as History, violations: [], failedProperty: null, source: { file } } };
  }
  if ("schedule" in raw) return { kind: "scenario" };
  throw new ReportInputError(
    `${file}: neither a history (version, steps, …), a { history, violations, failedProperty } object nor a scenario (name, schedule, expect)`,
  );
}

/** The first few zod issues, each as `$.json.path: message`. */
function issues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return `${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}

const jsonPath = (path: PropertyKey[]): string =>
  `$${path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("")}`;
