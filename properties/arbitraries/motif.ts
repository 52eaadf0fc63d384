import fc from "fast-check";
import { externalChanges } from "./external-change.js";
import type { RawStep } from "./step.js";
import { writerOp } from "./writer-op.js";

/**
 * Short runs of steps aimed at one gateway and one outside process, in the orders that break a
 * stat-keyed cache. Drawn step by step, such an order needs the same gateway three times with
 * the right outside edit between, and a run of 200 schedules over three gateways sees it a few
 * times at best. A motif draws it whole; it is still just steps, placed and shrunk like any.
 *
 * - `read-then-edit`: a read, an outside edit that keeps mtime and size, a write. A reader that
 *   leaves its load for the writer makes the write a cache hit on the store before the edit.
 * - `reload-then-edit`: the same after the gateway has written and an outside write moved the
 *   file on, so the read is the one that reloads.
 * - `held-across-change`: a writer held after its load or before its rename, an outside change,
 *   the resume, then another write of the same gateway, which sees what the first left cached.
 */
export type MotifKind = "read-then-edit" | "reload-then-edit" | "held-across-change";

const who = fc.nat({ max: 9 });

const sameSecondEdit = (x: number): fc.Arbitrary<RawStep> =>
  fc.record({
    who: fc.constant(x),
    kind: fc.constant("same-second-edit" as const),
    body: fc.record({ op: fc.constant("same-second-edit"), sameSize: fc.constant(true), changes: externalChanges() }),
  });

const outsideWrite = (x: number): fc.Arbitrary<RawStep> =>
  fc.record({
    who: fc.constant(x),
    kind: fc.constant("external-write" as const),
    body: fc.record({ op: fc.constant("write"), changes: externalChanges() }),
  });

const write = (g: number, ops: Parameters<typeof writerOp>[0]): fc.Arbitrary<RawStep> =>
  fc.record({ who: fc.constant(g), kind: fc.constant("write" as const), body: writerOp(ops) });

const read = (g: number): RawStep => ({ who: g, kind: "read", body: { op: "read", skipCache: false } });

function motif(kind: MotifKind, ops: Parameters<typeof writerOp>[0], checkpoints: boolean): fc.Arbitrary<RawStep[]> {
  return fc.tuple(who, who).chain(([g, x]): fc.Arbitrary<RawStep[]> => {
    switch (kind) {
      case "read-then-edit":
        return fc.tuple(fc.constant(read(g)), sameSecondEdit(x), write(g, ops));
      case "reload-then-edit":
        return fc.tuple(write(g, ops), outsideWrite(x), fc.constant(read(g)), sameSecondEdit(x), write(g, ops));
      case "held-across-change": {
        const held = fc
          .tuple(writerOp(ops), fc.constantFrom("after-load", "before-rename"))
          .map(([op, pause]): RawStep => ({ who: g, kind: "pause", body: { ...op, pause } }));
        // Without checkpoints nothing can be held: the writer just runs, before the change.
        const first = checkpoints ? held : write(g, ops);
        const change = fc.oneof(outsideWrite(x), sameSecondEdit(x));
        const resume = write(g, ops);
        return fc.tuple(first, change, resume, write(g, ops));
      }
    }
  });
}

/** One motif, drawn with the profile's motif weights; null when the profile has none. */
export function motifArbitrary(
  weights: Partial<Record<MotifKind, number>> | undefined,
  ops: Parameters<typeof writerOp>[0],
  checkpoints: boolean,
): fc.Arbitrary<RawStep[]> | null {
  const kinds = Object.entries(weights ?? {}).filter(([, weight]) => (weight ?? 0) > 0) as [MotifKind, number][];
  if (kinds.length === 0) return null;
  return fc.oneof(...kinds.map(([kind, weight]) => ({ weight, arbitrary: motif(kind, ops, checkpoints) })));
}
