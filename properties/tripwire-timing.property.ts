import { everything } from "./arbitraries/profile.js";
import { checkTripwireTiming } from "./checks/tripwire-timing.js";
import type { PropertyDefinition } from "./definition.js";

/** 2. The tripwire fires exactly when the model says: once per invalidated load, never on a hit, a miss or a read. */
export const tripwireTiming: PropertyDefinition = {
  id: "tripwire-timing",
  title: "the tripwire fires exactly once per invalidated load, never on a hit, a miss or a read",
  profile: everything,
  check: checkTripwireTiming,
  needs: ["tripwire"],
  defaultRuns: 80,
};
