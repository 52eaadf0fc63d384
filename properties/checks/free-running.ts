import type { FreeRunningHistory, OperationRecord, TimeWindow } from "../../harness/history/types.js";
import { isGatewayStep } from "../../harness/schedule/schema.js";
import { SessionStoreCacheInvalidatedSchema } from "../../src/tripwire/payload.js";
import { isWriterLeftover } from "./leftovers.js";
import { violation, type Violation } from "./violation.js";

/**
 * Why an acknowledged write may be missing from the final store without a bug: a later deletion,
 * an overlapping window, or (`coarse-mtime`, only for a store that still has that limitation) a
 * gateway that loaded after it without a tripwire, on a cache older than it: the file's stat
 * was the same (a same-size write within one tick of the kernel's file clock).
 */
export type LossExplanation = "deleted-afterwards" | "external-write-overlap" | "mid-flight-overlap" | "coarse-mtime";

export type FreeRunningReport = {
  ops: number;
  acknowledgedMerges: number;
  tripwires: number;
  samples: number;
  problems: Violation[];
  explainedLosses: Record<LossExplanation, number>;
  /**
   * External atomic writes of a key of their own that succeeded, and those missing at the end
   * with what explains each: another external's window, or else a gateway writer's
   * (`mid-flight-overlap`: the gateway loaded before it and renamed after, the mid-flight-drift
   * window). A store that closed mid-flight-drift loses one only in what is left of the window.
   */
  externalWrites: number;
  lostExternalWrites: Record<Exclude<LossExplanation, "deleted-afterwards">, number>;
};

/**
 * What must hold even without a schedule: the file was parseable at every look, every payload
 * is well-formed and its expected and observed stats differ, no acknowledged merge is missing
 * unless an external write or deletion or another writer's overlap explains it (and which), and
 * a clean run leaves no temp beside the store, whatever its name.
 */
export function checkFreeRunning(history: FreeRunningHistory): FreeRunningReport {
  const problems: Violation[] = [];
  const last = Math.max(history.steps.length - 1, 0);
  const explainedLosses: Record<LossExplanation, number> = { "deleted-afterwards": 0, "external-write-overlap": 0, "mid-flight-overlap": 0, "coarse-mtime": 0 };
  const coarseMtime = (history.capabilities.knownLimitations ?? ["coarse-mtime"]).includes("coarse-mtime");
  const unparseable = history.samples.filter((sample) => sample.state === "unparseable");
  const first = unparseable[0];
  if (first) problems.push(violation(last, "-", "unparseable-look", `the file was unparseable at ${unparseable.length} look(s), first at ${first.at.toFixed(1)} ms (${first.bytes} bytes: ${JSON.stringify(first.head)})`));
  if (history.final.content.kind === "unparseable") problems.push(violation(last, "-", "left-unparseable", "the file is unparseable at the end"));
  const finalStore = history.final.content.kind === "json" ? history.final.content.store : null;

  let tripwires = 0;
  for (const op of history.steps) {
    const at = (message: string) => violation(op.index, op.step.actor, "payload-schema", `at ${op.startedAt.toFixed(1)} ms: ${message}`);
    for (const payload of op.tripwires) {
      tripwires++;
      const parsed = SessionStoreCacheInvalidatedSchema.safeParse(payload);
      if (!parsed.success) problems.push(at(`malformed payload ${JSON.stringify(payload)}`));
      else if (parsed.data.reason === "stat_mismatch" && parsed.data.observedMtime === parsed.data.expectedMtime && parsed.data.observedSize === parsed.data.expectedSize) {
        problems.push(at("a payload whose observed stat equals the expected one"));
      }
    }
  }

  const externals = history.steps.filter((op) => !isGatewayStep(op.step));
  const writers = history.steps.filter((op) => isGatewayStep(op.step) && op.step.op !== "read");
  let acknowledged = 0;
  for (const op of writers) {
    const keys = op.step.op === "batch" ? op.step.ops.map((o) => ("key" in o ? o.key : "")) : "key" in op.step ? [op.step.key] : [];
    keys.forEach((key, i) => {
      if (outcomeAt(op, i)?.status !== "ok") return;
      acknowledged++;
      if (finalStore && key in finalStore) return;
      const why = explainLoss(op, i, externals, writers) ?? (coarseMtime ? staleSameStat(op, windowOf(op, i), writers) : undefined);
      if (why) explainedLosses[why]++;
      else problems.push(violation(op.index, op.step.actor, "lost-merge", `merge ${key} by ${op.step.actor} (acknowledged at ${op.endedAt.toFixed(1)} ms) is lost and nothing explains it`));
    });
  }
  const lostExternalWrites = { "external-write-overlap": 0, "mid-flight-overlap": 0, "coarse-mtime": 0 };
  let externalWrites = 0;
  for (const op of externals) {
    if (op.step.op !== "write" || outcomeAt(op, 0)?.status !== "ok") continue;
    externalWrites++;
    const keys = op.step.changes.flatMap((change) => (change.kind === "set" ? [change.key] : []));
    if (keys.every((key) => finalStore && key in finalStore)) continue;
    const why = explainExternalLoss(op, externals, writers) ?? (coarseMtime ? staleSameStat(op, windowOf(op), writers) : undefined);
    if (why) lostExternalWrites[why]++;
    else problems.push(violation(op.index, op.step.actor, "lost-external-write", `the write of ${keys.join(", ")} by ${op.step.actor} (at ${op.endedAt.toFixed(1)} ms) is lost and nothing explains it`));
  }
  const temps = history.leftovers.filter((name) => isWriterLeftover(name, history.storePath));
  if (temps.length > 0) problems.push(violation(last, "-", "leftover-temp", `temp files left after a clean run: ${temps.join(", ")}`));
  return { ops: history.steps.length, acknowledgedMerges: acknowledged, tripwires, samples: history.samples.length, problems, explainedLosses, externalWrites, lostExternalWrites };
}

const outcomeAt = (op: OperationRecord, index: number) => (op.end.kind === "done" ? op.end.outcomes[index] : undefined);

/** The window of an operation that succeeded: only a landed operation can undo another. */
const windowOf = (op: OperationRecord, index = 0): TimeWindow | undefined => (outcomeAt(op, index)?.status === "ok" ? op.windows[index] : undefined);

const meets = (a: TimeWindow, b: TimeWindow) => a.from < b.to && b.from < a.to;

/** Whether any of `other`'s windows (one per outcome: a batch has several) meets `mine`. */
const touches = (other: OperationRecord, mine: TimeWindow) =>
  other.windows.some((_, i) => {
    const theirs = windowOf(other, i);
    return theirs !== undefined && meets(theirs, mine);
  });

/**
 * A merge renamed in at some instant of its window (called to settled). Another
 * process can undo it only by reading before that instant and renaming after it, so only a
 * window that meets the merge's can explain its loss; a deletion can, if it came later.
 */
function explainLoss(op: OperationRecord, index: number, externals: OperationRecord[], writers: OperationRecord[]): LossExplanation | undefined {
  const mine = windowOf(op, index);
  if (!mine) return undefined;
  if (externals.some((x) => x.step.op === "delete-file" && outcomeAt(x, 0)?.status === "ok" && x.endedAt > op.startedAt)) return "deleted-afterwards";
  if (externals.some((x) => x.step.op !== "delete-file" && touches(x, mine))) return "external-write-overlap";
  if (writers.some((w) => w.step.actor !== op.step.actor && touches(w, mine))) return "mid-flight-overlap";
  return undefined;
}

/**
 * A write undone by a gateway that did not see it: one that loaded after it landed, emitted no
 * tripwire (it trusted its cache), and whose cache came from a write of its own that settled
 * before this one landed. With a correct stat check only the same stat explains that.
 */
function staleSameStat(op: OperationRecord, mine: TimeWindow | undefined, writers: OperationRecord[]): "coarse-mtime" | undefined {
  if (!mine) return undefined;
  const trusted = writers.some((w) => {
    if (w.step.actor === op.step.actor || w.tripwires.length > 0 || !w.windows.some((theirs) => theirs.from > mine.to)) return false;
    const cachedBy = writers.filter((p) => p.step.actor === w.step.actor && p.index < w.index).at(-1);
    return cachedBy !== undefined && cachedBy.windows.every((theirs) => theirs.to < mine.to);
  });
  return trusted ? "coarse-mtime" : undefined;
}

/**
 * What may undo an external write: a window that meets its own. Externals take no lock and
 * clobber each other, so one of theirs is the explanation when there is one; a gateway's only
 * when nothing else can be (that is the loss a store that closed mid-flight-drift must not have).
 */
function explainExternalLoss(op: OperationRecord, externals: OperationRecord[], writers: OperationRecord[]): "external-write-overlap" | "mid-flight-overlap" | undefined {
  const mine = windowOf(op);
  if (!mine) return undefined;
  if (externals.some((x) => x !== op && x.step.op !== "delete-file" && touches(x, mine))) return "external-write-overlap";
  if (writers.some((w) => touches(w, mine))) return "mid-flight-overlap";
  return undefined;
}
