import { everything } from "./arbitraries/profile.js";
import { checkOutcomesAndContent } from "./checks/outcomes-and-content.js";
import type { PropertyDefinition } from "./definition.js";

/** 4. No update is lost: every detected external change and every merge land in the store. */
export const noLostUpdate: PropertyDefinition = {
  id: "no-lost-update",
  title: "no update is lost: every detected external change and every merge land",
  profile: { ...everything, gateways: { min: 1, max: 3 } },
  check: checkOutcomesAndContent,
  defaultRuns: 80,
};
