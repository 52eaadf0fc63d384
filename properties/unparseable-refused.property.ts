import { everything } from "./arbitraries/profile.js";
import { checkUnparseableRefused } from "./checks/unparseable-refused.js";
import type { PropertyDefinition } from "./definition.js";

/** 8. A store file that is not valid JSON is never overwritten, and every writer says which file. */
export const unparseableRefused: PropertyDefinition = {
  id: "unparseable-refused",
  title: "an unparseable store is never overwritten; every writer's error names the file",
  profile: { ...everything, externals: { min: 1, max: 2 }, steps: { ...everything.steps, "bad-edit": 4, batch: 2 } },
  check: checkUnparseableRefused,
  defaultRuns: 50,
};
