import { isDeepStrictEqual } from "node:util";
import type { LimitationId } from "../../src/types.js";
import type { CheckContext } from "./context.js";
import { show, violation, type Violation } from "./violation.js";

/**
 * The property the design wants, for one limitation: "no external change is lost or
 * unsignalled". At every point where the model finds such a change, the store must have
 * signalled (a tripwire at that step) and kept the change (the closed design's content).
 */
export function checkNoUnsignalledChange(limitation: LimitationId) {
  return ({ history, predictions }: CheckContext): Violation[] =>
    predictions.flatMap((prediction) =>
      prediction.anomalies
        .filter((anomaly) => anomaly.limitation === limitation)
        .flatMap((anomaly) => {
          const record = history.steps[anomaly.step]!;
          const problems: string[] = [];
          if (record.tripwires.length === 0) problems.push("no tripwire");
          const want = anomaly.closed.content;
          const after = record.after.content;
          if (
            want === "unchanged"
              ? record.after.hash !== record.before.hash
              : !(after.kind === "json" && isDeepStrictEqual(after.store, want))
          ) {
            problems.push(
              `the change was lost: the file holds ${after.kind === "json" ? show(after.store) : after.kind}`,
            );
          }
          return problems.length === 0
            ? []
            : [
                violation(
                  anomaly.step,
                  anomaly.actor,
                  limitation,
                  `${record.step.op}: ${limitation}: ${anomaly.detail} (${problems.join("; ")})`,
                ),
              ];
        }),
    );
}
