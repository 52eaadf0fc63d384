import { checkOutcomesAndContent } from "./checks/outcomes-and-content.js";
import type { PropertyDefinition } from "./definition.js";
import { violation } from "./checks/violation.js";

/** 1. In-process queued merges alone never fire the tripwire, and every merge lands. */
export const inProcessMerges: PropertyDefinition = {
  id: "in-process-merges",
  title: "in-process queued merges alone never fire the tripwire, and every merge lands",
  profile: {
    gateways: { min: 1, max: 1 },
    externals: { min: 0, max: 0 },
    coarseClock: "sometimes",
    maxSteps: 12,
    steps: { write: 5, batch: 5, read: 1, pause: 1 },
  },
  check: (ctx) => [
    ...ctx.history.steps.flatMap((record) =>
      record.tripwires.length > 0
        ? [
            violation(
              record.index,
              record.step.actor,
              "tripwire-count",
              `${record.step.op}: ${record.tripwires.length} tripwire(s) with no outside change`,
            ),
          ]
        : [],
    ),
    ...checkOutcomesAndContent(ctx),
  ],
  defaultRuns: 60,
};
