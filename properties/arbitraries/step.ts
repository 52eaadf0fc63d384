import fc from "fast-check";
import { externalChanges } from "./external-change.js";
import type { Profile, StepKind } from "./profile.js";
import { writerOp } from "./writer-op.js";

/**
 * A step before it is placed: `who` picks the actor modulo the schedule's counts, so that
 * shrinking the number of processes never invalidates a step (see `place`).
 */
export type RawStep = { who: number; kind: StepKind; body: Record<string, unknown> };

const raw = (kind: StepKind, body: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<RawStep> =>
  fc.record({ who: fc.nat({ max: 9 }), kind: fc.constant(kind), body });

/** One raw step, drawn with the profile's weights. */
export function rawStep(profile: Profile, checkpoints: boolean): fc.Arbitrary<RawStep> {
  const op = writerOp(profile.writerOps);
  const byKind: Record<StepKind, fc.Arbitrary<Record<string, unknown>>> = {
    write: op,
    batch: fc.record({ op: fc.constant("batch"), ops: fc.array(op, { minLength: 2, maxLength: 4 }) }),
    read: fc.record({ op: fc.constant("read"), skipCache: fc.boolean() }),
    pause: fc
      .tuple(op, fc.constantFrom("after-load", "before-rename"))
      .map(([writer, pause]) => ({ ...writer, pause })),
    restart: fc.constant({ op: "restart" }),
    "external-write": fc.record({ op: fc.constant("write"), changes: externalChanges() }),
    "delete-file": fc.record({ op: fc.constant("delete-file"), how: fc.constantFrom("unlink", "rename-away") }),
    "same-second-edit": fc.record({
      op: fc.constant("same-second-edit"),
      sameSize: fc.boolean(),
      changes: externalChanges(),
    }),
    "rewrite-in-place": fc.record({ op: fc.constant("rewrite-in-place"), changes: externalChanges() }),
    "bad-edit": fc.record({ op: fc.constant("bad-edit"), kind: fc.constantFrom("invalid-json", "empty") }),
    tick: fc.constant({ op: "tick" }),
  };
  const kinds = (Object.entries(profile.steps) as [StepKind, number][]).filter(
    ([kind, weight]) => weight > 0 && (checkpoints || kind !== "pause"),
  );
  return fc.oneof(...kinds.map(([kind, weight]) => ({ weight, arbitrary: raw(kind, byKind[kind]) })));
}
