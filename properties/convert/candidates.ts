import type { FreeRunningHistory, OperationRecord, TimeWindow } from "../../harness/history/types.js";
import { isGatewayStep } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import type { Violation } from "../checks/violation.js";

/** What a free-running run saw that a step-locked schedule may re-create. */
export type CandidateKind = "lost-merge" | "lost-external-write" | "mid-flight-overlap" | "unparseable-look" | "bad-payload";

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
  return windows.length === 0 ? { from: op.startedAt, to: op.endedAt } : { from: Math.min(...windows.map((w) => w.from)), to: Math.max(...windows.map((w) => w.to)) };
};
const isWriter = (op: OperationRecord) => isGatewayStep(op.step) && op.step.op !== "read";
const isWrite = (op: OperationRecord) => !isGatewayStep(op.step) || isWriter(op);

/** Writes of other operations whose landed windows meet `victim`'s, nearest start first. */
function overlapping(history: FreeRunningHistory, victim: OperationRecord, filter: (op: OperationRecord) => boolean = () => true): OperationRecord[] {
  const mine = span(victim);
  return history.steps
    .filter((op) => op !== victim && isWrite(op) && filter(op) && landedWindows(op).some((w) => meets(w, mine)))
    .sort((a, b) => Math.abs(span(a).from - mine.from) - Math.abs(span(b).from - mine.from))
    .slice(0, MAX_OTHERS);
}

const keysOf = (op: OperationRecord): string[] =>
  op.step.op === "batch" ? op.step.ops.flatMap((o) => ("key" in o ? [o.key] : [])) : "key" in op.step ? [op.step.key] : "changes" in op.step ? op.step.changes.map((c) => c.key) : [];

/**
 * The candidates of a checked free-running history, one per violation that names an operation
 * or a look at the file, then (on a store that still has `mid-flight-drift`) the external writes
 * a gateway's window overwrote: the limitation, seen for real.
 */
export function findCandidates(history: FreeRunningHistory, violations: Violation[], closed: ReadonlySet<LimitationId>): Candidate[] {
  const found: Candidate[] = [];
  for (const v of violations) {
    const op = history.steps[v.step];
    if (v.check === "unparseable-look") {
      const at = history.samples.find((sample) => sample.state === "unparseable")?.at ?? Number.NaN;
      const writer = history.steps.find((o) => isWriter(o) && o.startedAt <= at && at <= o.endedAt) ?? history.steps.find((o) => isWriter(o) && o.startedAt >= at);
      if (writer) found.push({ kind: "unparseable-look", victim: writer, others: [], properties: ["crash-safety"], saw: v.message });
    } else if (op && (v.check === "lost-merge" || v.check === "lost-external-write")) {
      const external = v.check === "lost-external-write";
      found.push({
        kind: external ? "lost-external-write" : "lost-merge",
        victim: op,
        others: overlapping(history, op),
        properties: external ? ["no-lost-update", "mid-flight-drift"] : ["in-process-merges", "no-lost-update"],
        saw: v.message,
      });
    } else if (op && v.check === "payload-schema") {
      found.push({ kind: "bad-payload", victim: op, others: overlapping(history, op), properties: ["payload-fields", "tripwire-timing"], saw: v.message });
    }
  }
  if (!closed.has("mid-flight-drift")) {
    const final = history.final.content.kind === "json" ? history.final.content.store : null;
    for (const op of history.steps) {
      if (op.step.op !== "write" || !outcomeOk(op, 0) || !final || keysOf(op).every((key) => key in final)) continue;
      const externals = overlapping(history, op, (o) => !isGatewayStep(o.step));
      const gateways = overlapping(history, op, isWriter);
      if (externals.length > 0 || gateways.length === 0) continue;
      found.push({
        kind: "mid-flight-overlap",
        victim: op,
        others: gateways.slice(0, 1),
        properties: ["mid-flight-drift", "no-lost-update"],
        saw: `the write of ${keysOf(op).join(", ")} by ${op.step.actor} (at ${op.endedAt.toFixed(1)} ms) was overwritten by ${gateways[0]!.step.actor}'s writer, whose window contained it (explained as mid-flight-overlap)`,
      });
    }
  }
  return found;
}

export { keysOf, span, isWriter };
