import { describe, expect, it } from "vitest";
import type { FileSnapshot, StepLockedHistory, StepRecord } from "../../harness/history/types.js";
import { ScheduleSchema } from "../../harness/schedule/schema.js";
import { renderTimeline } from "../../properties/report/timeline.js";

const missing: FileSnapshot = { stat: { kind: "missing" }, hash: null, content: { kind: "missing" } };

function historyOf(records: Pick<StepRecord, "step" | "end">[]): StepLockedHistory {
  const schedule = ScheduleSchema.parse({ options: { gateways: 1, externals: 1 }, steps: records.map((r) => r.step) });
  return {
    version: 1,
    mode: "step-locked",
    storePath: "/tmp/x/sessions.json",
    storeModule: "/store.js",
    capabilities: { checkpoints: "hook", knownLimitations: null },
    schedule,
    initial: missing,
    steps: records.map((record, index) => ({
      ...record,
      index,
      pid: 1,
      startedAt: index,
      endedAt: index + 1,
      windows: [],
      versions: [],
      before: missing,
      after: missing,
      tripwires: [],
    })),
    leftovers: [],
    unattributedTripwires: [],
  };
}

describe("the text timeline", () => {
  it("cuts a long step, never how it ended", () => {
    const text = renderTimeline(
      historyOf([
        {
          step: { actor: "g0", op: "delete-entry", key: "a", pause: "after-load" },
          end: { kind: "paused", checkpoint: "after-load" },
        },
        {
          step: {
            actor: "x0",
            op: "write",
            changes: [{ kind: "set", key: "a-rather-long-session-key", set: { note: "a long note" } }],
          },
          end: { kind: "done", outcomes: [{ status: "error", error: { name: "EACCES", message: "no" } }] },
        },
      ]),
    );
    const [, paused, write] = text.split("\n");
    expect(paused).toContain("→ held at after-load");
    expect(write).toContain("… → ✗ EACCES");
    // The file column still starts at the same place on every line.
    expect(paused!.indexOf("missing")).toBe(write!.indexOf("missing"));
  });
});
