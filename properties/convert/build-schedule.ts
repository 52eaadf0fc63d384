import type { FreeRunningHistory, OperationRecord } from "../../harness/history/types.js";
import { applyExternalChanges, applyWriterOp, batchOpStamp } from "../../harness/schedule/mutations.js";
import { isGatewayStep, type CheckpointName, type Schedule, type Step } from "../../harness/schedule/schema.js";
import { keysOf, span, type Candidate } from "./candidates.js";

/**
 * A step-locked schedule that re-creates a candidate's order of events. A step-locked
 * operation lands at once, so each runs where its window ended (where it renamed in); a gateway
 * writer inside whose window another operation landed is paused at `checkpoint` where its window
 * started and resumed where it ended, so what landed inside its window lands between its load
 * and its rename. A file problem seen at a
 * look (`unparseable-look`) is re-created by holding the writer at `before-rename` and killing
 * it there. Actors are renumbered in order of appearance; the store starts as it was just
 * before the first of these operations, for the keys they touch.
 */
export function buildSchedule(history: FreeRunningHistory, candidate: Candidate, checkpoint: CheckpointName): Schedule {
  const ops = [candidate.victim, ...candidate.others].sort((a, b) => span(a).from - span(b).from);
  const names = new Map<string, string>();
  const rename = (actor: string) => {
    if (!names.has(actor)) {
      const gateway = actor.startsWith("g");
      const count = [...names.values()].filter((n) => n.startsWith(gateway ? "g" : "x")).length;
      names.set(actor, `${gateway ? "g" : "x"}${count}`);
    }
    return names.get(actor)!;
  };
  for (const op of ops) rename(op.step.actor);
  const steps: Step[] = [];
  if (candidate.kind === "unparseable-look") {
    const actor = rename(candidate.victim.step.actor);
    steps.push(paused(pausable(candidate.victim.step, actor), "before-rename"), { actor, op: "restart" } as Step);
  } else {
    const events: { at: number; step: Step }[] = [];
    for (const op of ops) {
      const actor = rename(op.step.actor);
      const window = span(op);
      // Another operation landed (renamed in) while this writer was between its load and its rename.
      const landsInside = ops.some(
        (other) => other !== op && span(other).to > window.from && span(other).to < window.to,
      );
      // A write lost in its own process may be the batch's own writers racing: that batch stays whole.
      const inProcess =
        candidate.kind === "lost-write" && candidate.others.every((other) => other.pid === candidate.victim.pid);
      const step = landsInside && !inProcess ? pausable(op.step, actor) : ({ ...op.step, actor } as Step);
      if (isGatewayStep(step) && step.op !== "batch" && step.op !== "read" && landsInside) {
        events.push(
          { at: window.from, step: paused(step, checkpoint) },
          { at: window.to, step: { actor, op: "resume" } as Step },
        );
      } else events.push({ at: window.to, step });
    }
    steps.push(...events.sort((a, b) => a.at - b.at).map((event) => event.step));
  }
  const gateways = [...names.values()].filter((n) => n.startsWith("g")).length;
  const externals = [...names.values()].filter((n) => n.startsWith("x")).length;
  return {
    options: {
      gateways: Math.max(1, gateways),
      externals,
      coarseClock: false,
      throwingEmitter: false,
      initial: storeBefore(history, ops),
    },
    steps,
  } as Schedule;
}

const paused = (step: Step, at: CheckpointName): Step => ({ ...step, pause: at }) as Step;

/**
 * The step as `actor` takes it, in a form that can hold at a checkpoint: a batch cannot (its
 * writers share one queue turn), so its first writer stands for it; any writer killed between
 * its halves leaves the file as that look saw it.
 */
function pausable(step: Step, actor: string): Step {
  if (isGatewayStep(step) && step.op === "batch") return { ...step.ops[0]!, actor } as Step;
  return { ...step, actor } as Step;
}

/**
 * The entries the operations touch, as every operation that ended before the first of them
 * left them (all keys of a stress run are unique to the operation that writes them, but
 * same-size edits share one): null when nothing had been written yet.
 */
function storeBefore(
  history: FreeRunningHistory,
  ops: OperationRecord[],
): Record<string, Record<string, unknown>> | null {
  const start = Math.min(...ops.map((op) => span(op).from));
  const keys = new Set(ops.flatMap(keysOf));
  let store: Record<string, any> | null = null;
  for (const op of history.steps
    .filter((o) => o.endedAt < start && o.end.kind === "done")
    .sort((a, b) => a.endedAt - b.endedAt)) {
    const step = op.step;
    store ??= {};
    if (!isGatewayStep(step)) {
      if ("changes" in step) applyExternalChanges(store, step.changes, op.index);
    } else if (step.op === "batch") {
      step.ops.forEach((inner, i) => applyWriterOp(store!, inner, batchOpStamp(op.index, i)));
    } else if (step.op !== "read" && step.op !== "resume" && step.op !== "restart") {
      const { actor: _actor, pause: _pause, ...writer } = step;
      applyWriterOp(store, writer, op.index);
    }
  }
  if (store === null) return null;
  const picked = Object.fromEntries(
    Object.entries(store)
      .filter(([key]) => keys.has(key))
      .map(([key, { sessionId: _s, updatedAt: _u, ...rest }]) => [key, rest]),
  );
  return picked;
}
