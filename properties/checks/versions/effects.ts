import type { History, OperationRecord, TimeWindow, WriteVersions } from "../../../harness/history/types.js";
import { isGatewayStep, type Step, type WriterOp } from "../../../harness/schedule/schema.js";

/**
 * What an acknowledged write leaves on a key, for as long as nothing later changes that key:
 * its fields with their values (a merge, a replace, an external set), the key gone (a delete,
 * an external remove), or its ACP binding (an acp-bind, an external bind-acp).
 */
export type Effect =
  | { kind: "fields"; key: string; fields: Record<string, unknown> }
  | { kind: "absent"; key: string }
  | { kind: "acp"; key: string; acp: unknown }
  | { kind: "acp-part"; key: string; part: Record<string, unknown> };

/**
 * What an operation does to a key, for deciding whether it replaces an earlier write's effect
 * there. `acp-part` sets some fields of the binding: it replaces an earlier part only where it
 * sets the same field (`parts`), so one part lost to another is still a loss.
 */
type Touch = "fields" | "create" | "remove" | "acp" | "acp-part";
type KeyTouch = { key: string; how: Touch[]; parts?: string[] };

/**
 * One operation of a history as the version oracle reads it: who, where it landed (the record
 * holding its outcome), its outcome, versions and window, what it did to which keys, and its
 * effects when it was acknowledged.
 */
export type Write = {
  /** The record holding its outcome (a resume's, for a paused writer). */
  record: OperationRecord;
  /** The record that invoked it (the paused step, for a paused writer). */
  invokedAt: number;
  opIndex: number;
  actor: string;
  pid: number | null;
  external: boolean;
  acknowledged: boolean;
  /** It may have landed: acknowledged, produced a version, or still running (blocked). */
  mayHaveLanded: boolean;
  window: TimeWindow | undefined;
  versions: WriteVersions | null;
  touches: KeyTouch[];
  effects: Effect[];
  /** A human name: `merge a`, `write x, y`. */
  label: string;
};

function writerEffects(op: WriterOp): { effects: Effect[]; touches: KeyTouch[] } {
  switch (op.op) {
    case "merge":
      return {
        effects: [{ kind: "fields", key: op.key, fields: op.set }],
        touches: [{ key: op.key, how: ["fields", "create"] }],
      };
    case "replace-entry":
      return {
        effects: [{ kind: "fields", key: op.key, fields: op.set }],
        touches: [{ key: op.key, how: ["fields", "create"] }],
      };
    case "delete-entry":
      return {
        effects: [{ kind: "absent", key: op.key }],
        touches: [{ key: op.key, how: ["fields", "remove", "acp"] }],
      };
    case "acp-bind":
      return {
        effects: [{ kind: "acp", key: op.key, acp: op.acp }],
        touches: [{ key: op.key, how: ["acp", "create"] }],
      };
    case "acp-drop":
      return { effects: [], touches: [{ key: op.key, how: ["acp"] }] };
    case "acp-set":
      // Acknowledged on an entry without a binding, it changed nothing: its part is not an effect to keep.
      return {
        effects: [{ kind: "acp-part", key: op.key, part: op.set }],
        touches: [{ key: op.key, how: ["acp-part"], parts: Object.keys(op.set) }],
      };
    case "merge-noop":
      return { effects: [], touches: [] };
    case "merge-throw":
      return { effects: [], touches: [{ key: op.key, how: ["fields", "create"] }] };
  }
}

function externalEffects(step: Step): { effects: Effect[]; touches: KeyTouch[] } {
  if (!("changes" in step)) return { effects: [], touches: [] };
  const effects: Effect[] = [];
  const touches: KeyTouch[] = [];
  for (const change of step.changes) {
    if (change.kind === "set") {
      effects.push({ kind: "fields", key: change.key, fields: change.set });
      touches.push({ key: change.key, how: ["fields", "create", ...("acp" in change.set ? (["acp"] as const) : [])] });
    } else if (change.kind === "remove") {
      effects.push({ kind: "absent", key: change.key });
      touches.push({ key: change.key, how: ["fields", "remove", "acp"] });
    } else {
      effects.push({ kind: "acp", key: change.key, acp: change.acp });
      touches.push({ key: change.key, how: ["acp", "create"] });
    }
  }
  return { effects, touches };
}

/**
 * Which touches replace an effect of this kind: a merge keeps an entry's ACP, an acp-bind its
 * fields; a part of a binding is replaced by a whole binding, or by a part that sets one of its fields.
 */
export function replaces(effect: Effect, touch: Pick<KeyTouch, "how" | "parts">): boolean {
  const { how } = touch;
  switch (effect.kind) {
    case "fields":
      return how.includes("fields");
    case "absent":
      return how.includes("create");
    case "acp":
      return how.includes("acp") || how.includes("remove") || how.includes("acp-part");
    case "acp-part":
      return (
        how.includes("acp") ||
        how.includes("remove") ||
        (how.includes("acp-part") && (touch.parts ?? []).some((field) => field in effect.part))
      );
  }
}

const describe = (op: WriterOp | Step): string =>
  "key" in op ? `${op.op} ${op.key}` : "changes" in op ? `${op.op} ${op.changes.map((c) => c.key).join(", ")}` : op.op;

/**
 * Every operation of a history that may write, in the order of the records holding their
 * outcomes (a paused writer's outcome is in its resume's record), each op of a batch on its own.
 */
export function writesOf(history: History): Write[] {
  const writes: Write[] = [];
  const pausedAt = new Map<string, number>();
  for (const record of history.steps) {
    const step = record.step;
    const outcomes = record.end.kind === "done" || record.end.kind === "blocked" ? record.end.outcomes : [];
    const at = (
      i: number,
      op: WriterOp | Step,
      invokedAt: number,
      external: boolean,
      found: ReturnType<typeof writerEffects>,
    ) => {
      const outcome = outcomes[i];
      const versions = record.versions[i] ?? null;
      const acknowledged = outcome?.status === "ok";
      writes.push({
        record,
        invokedAt,
        opIndex: i,
        actor: step.actor,
        pid: record.pid,
        external,
        acknowledged,
        mayHaveLanded: acknowledged || outcome === null || versions?.produced != null,
        window: record.windows[i],
        versions,
        touches: found.touches,
        effects: acknowledged ? found.effects : [],
        label: describe(op),
      });
    };
    if (step.actor === "clock") continue;
    if (!isGatewayStep(step)) {
      if (step.op !== "delete-file") at(0, step, record.index, true, externalEffects(step));
      else at(0, step, record.index, true, { effects: [], touches: [] });
      continue;
    }
    if (step.op === "read" || step.op === "restart") {
      if (step.op === "restart") pausedAt.delete(step.actor);
      continue;
    }
    if (record.end.kind === "paused") {
      pausedAt.set(step.actor, record.index);
      continue;
    }
    if (step.op === "batch") {
      step.ops.forEach((op, i) => at(i, op, record.index, false, writerEffects(op)));
      continue;
    }
    if (step.op === "resume") {
      const invoked = pausedAt.get(step.actor);
      pausedAt.delete(step.actor);
      const original = invoked === undefined ? undefined : history.steps[invoked]!.step;
      if (
        !original ||
        !isGatewayStep(original) ||
        original.op === "batch" ||
        original.op === "read" ||
        original.op === "resume" ||
        original.op === "restart"
      )
        continue;
      const { actor: _actor, pause: _pause, ...op } = original;
      at(0, original, invoked!, false, writerEffects(op as WriterOp));
      continue;
    }
    const { actor: _actor, pause: _pause, ...op } = step;
    at(0, step, record.index, false, writerEffects(op as WriterOp));
  }
  return writes;
}
