import { everything } from "./arbitraries/profile.js";
import { checkPayloadFields } from "./checks/payload-fields.js";
import type { PropertyDefinition } from "./definition.js";

/** 3. Every payload matches the schema and each field equals the recorded stat. */
export const payloadFields: PropertyDefinition = {
  id: "payload-fields",
  title: "every payload matches the schema and each field equals the recorded stat",
  profile: {
    ...everything,
    steps: { ...everything.steps, "external-write": 5, "delete-file": 2, "same-second-edit": 3 },
  },
  check: checkPayloadFields,
  needs: ["tripwire"],
  defaultRuns: 60,
};
