import fc from "fast-check";
import type { WriterOp } from "../../harness/schedule/schema.js";
import { acpBinding, acpPart, fields, sessionKey } from "./values.js";

/** One in-process writer: a merge, a no-op, a throwing mutator, an entry replace/delete, ACP bind/drop/part. */
export const writerOp = (weights: Partial<Record<WriterOp["op"], number>> = {}): fc.Arbitrary<WriterOp> => {
  const w = (op: WriterOp["op"], fallback: number) => weights[op] ?? fallback;
  return fc.oneof(
    {
      weight: w("merge", 6),
      arbitrary: fc.record({ op: fc.constant("merge" as const), key: sessionKey(), set: fields() }),
    },
    { weight: w("merge-noop", 1), arbitrary: fc.constant({ op: "merge-noop" as const }) },
    {
      weight: w("merge-throw", 1),
      arbitrary: fc.record({ op: fc.constant("merge-throw" as const), key: sessionKey() }),
    },
    {
      weight: w("replace-entry", 1),
      arbitrary: fc.record({ op: fc.constant("replace-entry" as const), key: sessionKey(), set: fields() }),
    },
    {
      weight: w("delete-entry", 1),
      arbitrary: fc.record({ op: fc.constant("delete-entry" as const), key: sessionKey() }),
    },
    {
      weight: w("acp-bind", 1),
      arbitrary: fc.record({ op: fc.constant("acp-bind" as const), key: sessionKey(), acp: acpBinding() }),
    },
    { weight: w("acp-drop", 1), arbitrary: fc.record({ op: fc.constant("acp-drop" as const), key: sessionKey() }) },
    // Part of a binding: drawn only where a profile asks for it (acp-survives), so the other
    // properties draw the same schedules from a seed as before it existed.
    ...(w("acp-set", 0) > 0
      ? [
          {
            weight: w("acp-set", 0),
            arbitrary: fc.record({ op: fc.constant("acp-set" as const), key: sessionKey(), set: acpPart() }),
          },
        ]
      : []),
  );
};
