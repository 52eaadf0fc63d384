import { everything } from "./arbitraries/profile.js";
import { checkAcpSurvives } from "./checks/acp.js";
import type { PropertyDefinition } from "./definition.js";

/** 5. ACP metadata survives merges, reloads after the tripwire and restarts, unless dropped on purpose. */
export const acpSurvives: PropertyDefinition = {
  id: "acp-survives",
  title: "ACP bindings survive merges, reloads and restarts unless dropped on purpose or deleted",
  profile: {
    ...everything,
    steps: { write: 8, batch: 2, restart: 1, pause: 1, "external-write": 4, "same-second-edit": 1, "delete-file": 1 },
    writerOps: { merge: 3, "replace-entry": 3, "acp-bind": 2, "acp-set": 2, "acp-drop": 1, "delete-entry": 1 },
    motifs: { "held-across-change": 3, "reload-then-edit": 1 },
  },
  check: checkAcpSurvives,
  needs: ["acp-preservation"],
  defaultRuns: 60,
};
