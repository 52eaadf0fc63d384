import { checkNoUnsignalledChange } from "../checks/limitation.js";
import type { PropertyDefinition } from "../definition.js";

/** Wanted: the first writer after a start signals a change made since the store last wrote. */
export const emptyCacheBypass: PropertyDefinition = {
  id: "empty-cache-bypass",
  title: "a writer with no cache entry signals a file changed since the store last wrote it",
  limitation: "empty-cache-bypass",
  profile: {
    gateways: { min: 1, max: 2 },
    externals: { min: 1, max: 1 },
    coarseClock: "never",
    maxSteps: 10,
    steps: { write: 4, restart: 3, "external-write": 3, "delete-file": 1 },
  },
  check: checkNoUnsignalledChange("empty-cache-bypass"),
  defaultRuns: 100,
};
