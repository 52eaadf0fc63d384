import type { StepRecord } from "../../harness/history/types.js";
import type { ExpectedTripwire } from "../model/types.js";
import { show } from "./violation.js";

const reasonOf = (payload: unknown): unknown => (payload as { reason?: unknown })?.reason;

/** The payloads a step received against the ones predicted: how many, and each contract reason. */
export function tripwireProblems(
  record: StepRecord,
  expected: readonly ExpectedTripwire[],
): { check: "tripwire-count" | "tripwire-reason"; message: string }[] {
  const got = record.tripwires;
  if (got.length !== expected.length) {
    const wanted = expected.map((tripwire) =>
      tripwire.kind === "contract" ? tripwire.reason : `(${tripwire.limitation})`,
    );
    return [
      {
        check: "tripwire-count",
        message: `expected ${expected.length} tripwire(s) ${show(wanted)}, got ${got.length} ${show(got.map(reasonOf))}`,
      },
    ];
  }
  return expected.flatMap((tripwire, i) =>
    tripwire.kind === "contract" && reasonOf(got[i]) !== tripwire.reason
      ? [
          {
            check: "tripwire-reason" as const,
            message: `tripwire ${i} reason ${show(reasonOf(got[i]))}, expected ${show(tripwire.reason)}`,
          },
        ]
      : [],
  );
}
