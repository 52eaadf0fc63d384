import type { FreeRunningHistory, OperationRecord, TimeWindow } from "../../harness/history/types.js";
import { isGatewayStep } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import type { Violation } from "../checks/violation.js";
import { checkVersions } from "../checks/versions/oracle.js";

/** What a free-running run saw that a step-locked schedule may re-create. */
export type CandidateKind = "lost-write" | "mid-flight-overlap" | "unparseable-look" | "bad-payload";

/**
 * One thing to convert: the operation that went wrong (`victim`), the operations whose windows
 * met it (`others`, nearest first), the properties its replay should fail, and what stress saw.
 */
export type Candidate = {
  kind: CandidateKind;
  victim: OperationRecord;
  others: OperationRecord[];
  properties: string[];
  saw: string;
};

/** At most this many other operations take part: a scenario stays a handful of steps. */
const MAX_OTHERS = 3;

const outcomeOk = (op: OperationRecord, i: number) => op.end.kind === "done" && op.end.outcomes[i]?.status === "ok";
const meets = (a: TimeWindow, b: TimeWindow) => a.from < b.to && b.from < a.to;
const landedWindows = (op: OperationRecord) => op.windows.filter((_, i) => outcomeOk(op, i));
const span = (op: OperationRecord): TimeWindow => {
  const windows = landedWindows(op);
  return windows.length === 0
    ? { from: op.startedAt, to: op.endedAt }
    : { from: Math.min(...windows.map((w) => w.from)), to: Math.max(...windows.map((w) => w.to)) };
};
const isWriter = (op: OperationRecord) => isGatewayStep(op.step) && op.step.op !== "read";
const isWrite = (op: OperationRecord) => !isGatewayStep(op.step) || isWriter(op);

/** Writes of other operations whose landed windows meet `victim`'s, nearest start first. */
function overlapping(
  history: FreeRunningHistory,
  victim: OperationRecord,
  filter: (op: OperationRecord) => boolean = () => true,
): OperationRecord[] {
  const mine = span(victim);
  return history.steps
    .filter((op) => op !== victim && isWrite(op) && filter(op) && landedWindows(op).some((w) => meets(w, mine)))
    .sort((a, b) => Math.abs(span(a).from - mine.from) - Math.abs(span(b).from - mine.from))
    .slice(0, MAX_OTHERS);
}

const keysOf = (op: OperationRecord): string[] =>
  op.step.op === "batch"
    ? op.step.ops.flatMap((o) => ("key" in o ? [o.key] : []))
    : "key" in op.step
      ? [op.step.key]
      : "changes" in op.step
        ? op.step.changes.map((c) => c.key)
        : [];

/**
 * The candidates of a checked free-running history, one per violation that names an operation
 * or a look at the file (a `lost-write`: the lost write and the writer whose version dropped it),
 * then (on a store that still has `mid-flight-drift`) the external writes the version oracle
 * found dropped by a gateway whose window contained them: the limitation, seen for real.
 */
export function findCandidates(
  history: FreeRunningHistory,
  violations: Violation[],
  closed: ReadonlySet<LimitationId>,
): Candidate[] {
  const found: Candidate[] = [];
  for (const v of violations) {
    const op = history.steps[v.step];
    if (v.check === "unparseable-look") {
      const at = history.samples.find((sample) => sample.state === "unparseable")?.at ?? Number.NaN;
      const writer =
        history.steps.find((o) => isWriter(o) && o.startedAt <= at && at <= o.endedAt) ??
        history.steps.find((o) => isWriter(o) && o.startedAt >= at);
      if (writer)
        found.push({
          kind: "unparseable-look",
          victim: writer,
          others: [],
          properties: ["crash-safety"],
          saw: v.message,
        });
    } else if (op && v.check === "lost-write" && v.lostWrite) {
      // The write that was lost and the writer whose version dropped it: the two the schedule re-creates.
      const dropper = history.steps[v.lostWrite.droppedAt];
      const inProcess = dropper !== undefined && dropper.pid === op.pid && isGatewayStep(op.step);
      found.push({
        kind: "lost-write",
        victim: op,
        others: dropper && dropper !== op ? [dropper] : [],
        properties: inProcess
          ? ["in-process-merges", v.lostWrite.property]
          : [v.lostWrite.property, ...(v.lostWrite.property === "no-lost-update" ? ["mid-flight-drift"] : [])],
        saw: v.message,
      });
    } else if (op && v.check === "payload-schema") {
      found.push({
        kind: "bad-payload",
        victim: op,
        others: overlapping(history, op),
        properties: ["payload-fields", "tripwire-timing"],
        saw: v.message,
      });
    }
  }
  if (!closed.has("mid-flight-drift")) {
    for (const loss of checkVersions(history).losses) {
      const victim = history.steps[loss.write.step];
      const writer = history.steps[loss.droppedBy.step];
      if (loss.allowed !== "mid-flight-drift" || !loss.write.external || !victim || !writer) continue;
      found.push({
        kind: "mid-flight-overlap",
        victim,
        others: [writer],
        properties: ["mid-flight-drift", "no-lost-update"],
        saw: `the ${loss.write.label} by ${loss.write.actor} (at ${victim.endedAt.toFixed(1)} ms) was dropped by ${writer.step.actor}'s writer, whose window contained it (allowed as mid-flight-drift)`,
      });
    }
  }
  return found;
}

export { keysOf, span, isWriter };
