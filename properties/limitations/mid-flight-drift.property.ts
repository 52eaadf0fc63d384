import { checkNoUnsignalledChange } from "../checks/limitation.js";
import type { PropertyDefinition } from "../definition.js";

/** Wanted: a change that lands between a writer's load and its rename is neither lost nor unsignalled. */
export const midFlightDrift: PropertyDefinition = {
  id: "mid-flight-drift",
  title: "no external change between a writer's load and its rename is lost or unsignalled",
  limitation: "mid-flight-drift",
  profile: {
    gateways: { min: 1, max: 2 },
    externals: { min: 1, max: 1 },
    coarseClock: "never",
    maxSteps: 10,
    steps: { write: 2, pause: 4, "external-write": 4, "delete-file": 1, "bad-edit": 1 },
  },
  check: checkNoUnsignalledChange("mid-flight-drift"),
  needs: ["checkpoints"],
  defaultRuns: 100,
};
