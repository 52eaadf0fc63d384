import { everything } from "./arbitraries/profile.js";
import { checkCrashSafety } from "./checks/crash-safety.js";
import type { PropertyDefinition } from "./definition.js";

/** 7. No writer ever leaves the store unparseable, whatever crashes. */
export const crashSafety: PropertyDefinition = {
  id: "crash-safety",
  title: "no writer leaves the store unparseable; a gateway killed mid-write leaves the previous bytes",
  // Every kill lands on a writer held mid-write: killing a gateway with nothing in flight tests no crash.
  profile: {
    ...everything,
    externals: { min: 0, max: 1 },
    killsHeldOnly: true,
    steps: { write: 4, batch: 1, pause: 4, restart: 4, "external-write": 1 },
  },
  check: checkCrashSafety,
  defaultRuns: 25,
};
