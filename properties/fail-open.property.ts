import { everything } from "./arbitraries/profile.js";
import { checkFailOpen } from "./checks/fail-open.js";
import type { PropertyDefinition } from "./definition.js";

/** 6. Fail-open: a throwing emitter changes neither the writers' results nor the file. */
export const failOpen: PropertyDefinition = {
  id: "fail-open",
  title: "with a throwing emitter the writers' results and the file are unchanged",
  profile: { ...everything, throwingEmitter: true, steps: { ...everything.steps, restart: 0, "external-write": 5 } },
  check: checkFailOpen,
  againstThrowingEmitter: true,
  needs: ["tripwire"],
  defaultRuns: 30,
};
