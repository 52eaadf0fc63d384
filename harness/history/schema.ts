import { z } from "zod";
import { describeIssues } from "../json-path.js";
import { ScheduleSchema, Step } from "../schedule/schema.js";
import type { History } from "./types.js";

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
  z.looseObject({ kind: z.literal("blocked"), lock: z.string(), outcomes: z.array(Outcome.nullable()) }),
]);
const Window = z.looseObject({ from: z.number(), to: z.number() });
const StatPair = z.looseObject({ mtimeMs: z.number(), size: z.number() }).nullable();
const Base = z.union([
  z.looseObject({ kind: z.literal("read"), hash: z.string(), at: z.number() }),
  z.looseObject({
    kind: z.literal("cached"),
    hash: z.string(),
    at: z.number(),
    statAtLoad: StatPair,
    knownStat: StatPair,
  }),
  z.looseObject({ kind: z.literal("unknown"), at: z.number() }),
]);
const Produced = z.looseObject({
  hash: z.string(),
  at: Window,
  content: z.union([
    z.looseObject({ kind: z.literal("json"), changes: z.record(z.string(), z.unknown()) }),
    z.looseObject({ kind: z.literal("unparseable") }),
    z.looseObject({ kind: z.literal("missing") }),
  ]),
});
const Versions = z
  .looseObject({ base: Base, produced: Produced.nullable(), recheckedAt: z.number().optional() })
  .nullable();
const Operation = z.looseObject({
  index: z.number().int().min(0),
  step: Step,
  pid: z.number().nullable(),
  startedAt: z.number(),
  endedAt: z.number(),
  end: End,
  // Histories written before windows were recorded have none.
  windows: z.array(Window).default([]),
  // Histories written before writes recorded their versions have none (the version oracle then has nothing to read).
  versions: z.array(Versions).default([]),
  tripwires: z.array(z.unknown()),
});
const StepRecord = Operation.extend({ before: Snapshot, after: Snapshot });
const Common = {
  version: z.literal(1),
  storePath: z.string(),
  storeModule: z.string(),
  // Histories recorded before fs checkpoints said `checkpoints: true | false` (the hook, or none).
  capabilities: z.looseObject({
    checkpoints: z.union([
      z.enum(["hook", "fs", "none"]),
      z.boolean().transform((hook) => (hook ? "hook" : "none") as "hook" | "none"),
    ]),
    knownLimitations: z.array(z.string()).nullable(),
    tripwire: z.boolean().optional(),
    serialization: z.enum(["queue", "lock-file", "sqlite"]).optional(),
    writerCache: z.boolean().optional(),
  }),
  leftovers: z.array(z.string()),
  unattributedTripwires: z
    .array(z.looseObject({ actor: z.string(), pid: z.number(), payload: z.unknown() }))
    .default([]),
};
const StepLocked = z.looseObject({
  ...Common,
  // Histories written before the free-running mode shared this type have no mode.
  mode: z.literal("step-locked").default("step-locked"),
  schedule: ScheduleSchema,
  initial: Snapshot,
  steps: z.array(StepRecord),
});
const FreeRunning = z.looseObject({
  ...Common,
  mode: z.literal("free-running"),
  run: z.looseObject({
    seconds: z.number(),
    gateways: z.number().int(),
    externals: z.number().int(),
    seed: z.number(),
  }),
  steps: z.array(Operation),
  samples: z.array(
    z.looseObject({
      at: z.number(),
      state: z.enum(["json", "missing", "unparseable"]),
      bytes: z.number(),
      head: z.string().optional(),
    }),
  ),
  final: Snapshot,
});

const inStepOrder = (history: { steps: { index: number }[] }, ctx: z.RefinementCtx) => {
  history.steps.forEach((record, i) => {
    if (record.index !== i)
      ctx.addIssue({ code: "custom", path: ["steps", i, "index"], message: `expected ${i} (records in step order)` });
  });
};

/** The shape of a `StepLockedHistory` (./types.ts), for files read back from disk. */
export const StepLockedHistorySchema = StepLocked.superRefine(inStepOrder);
/** The shape of a `FreeRunningHistory` (./types.ts), for files read back from disk. */
export const FreeRunningHistorySchema = FreeRunning.superRefine(inStepOrder);

/** The schema for the mode a raw history names (none: step-locked), so that issues keep their exact path. */
export const historySchemaFor = (raw: unknown) =>
  typeof raw === "object" && raw !== null && (raw as { mode?: unknown }).mode === "free-running"
    ? FreeRunningHistorySchema
    : StepLockedHistorySchema;

/** A history file that does not hold a history; the message names the first few fields wrong. */
export class HistoryFileError extends Error {
  override readonly name = "HistoryFileError";
}

/**
 * Checks a value read from a history file and returns it typed, either mode. `where` names the
 * file in errors; `at` is where the history sits in it (`["history"]` in a wrapped file).
 */
export function parseHistory(raw: unknown, where: string, at: readonly PropertyKey[] = []): History {
  const parsed = historySchemaFor(raw).safeParse(raw);
  if (!parsed.success)
    throw new HistoryFileError(`${where}: not a usable history: ${describeIssues(parsed.error, at)}`);
  return parsed.data as History;
}
