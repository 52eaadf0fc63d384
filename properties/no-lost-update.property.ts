import { everything } from "./arbitraries/profile.js";
import { checkOutcomesAndContent } from "./checks/outcomes-and-content.js";
import type { PropertyDefinition } from "./definition.js";

/** 4. No update is lost: every detected external change and every merge land in the store. */
export const noLostUpdate: PropertyDefinition = {
  id: "no-lost-update",
  title: "no update is lost: every detected external change and every merge land",
  // Held writers and writers that change nothing are weighted up: a store may skip an unchanged
  // write, and what its cache says afterwards decides whether the next write loses a change.
  profile: {
    ...everything,
    gateways: { min: 1, max: 3 },
    // A bad edit is rare: every failure after one is that one defect, and hides any other in the run.
    steps: {
      write: 20,
      batch: 4,
      read: 6,
      pause: 8,
      restart: 2,
      "external-write": 6,
      "delete-file": 2,
      "same-second-edit": 4,
      "rewrite-in-place": 2,
      "bad-edit": 1,
      tick: 2,
    },
    writerOps: { merge: 6, "merge-noop": 2 },
    // The orders that break a stat-keyed cache, drawn whole: a read that seeds the writer's
    // cache, a writer held across an outside change, each followed by the write that shows it.
    motifs: { "read-then-edit": 4, "reload-then-edit": 3, "held-across-change": 5 },
  },
  check: checkOutcomesAndContent,
  defaultRuns: 80,
};
