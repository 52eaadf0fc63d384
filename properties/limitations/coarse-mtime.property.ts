import { checkNoUnsignalledChange } from "../checks/limitation.js";
import type { PropertyDefinition } from "../definition.js";

/** Wanted: a change that leaves mtime and size as they were is still signalled and kept. */
export const coarseMtime: PropertyDefinition = {
  id: "coarse-mtime",
  title: "a same-size change within the mtime granularity is signalled and kept",
  limitation: "coarse-mtime",
  profile: {
    gateways: { min: 1, max: 1 },
    externals: { min: 1, max: 1 },
    coarseClock: "sometimes",
    maxSteps: 10,
    steps: { write: 4, read: 1, "same-second-edit": 4, "external-write": 2, tick: 1 },
    initialStore: "always",
  },
  check: checkNoUnsignalledChange("coarse-mtime"),
  // The stale copy a same-stat edit hides behind is the writer's cache.
  needs: ["writer-cache"],
  defaultRuns: 100,
};
