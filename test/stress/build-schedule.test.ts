import { describe, expect, it } from "vitest";
import type { FreeRunningHistory, OperationRecord } from "../../harness/history/types.js";
import { ScheduleSchema, type Step } from "../../harness/schedule/schema.js";
import { findScheduleIssues } from "../../harness/schedule/validate.js";
import { buildSchedule } from "../../properties/convert/build-schedule.js";
import { findCandidates } from "../../properties/convert/candidates.js";

const op = (index: number, step: Step, from: number, to: number): OperationRecord => ({
  index,
  step,
  pid: 100 + index,
  startedAt: from,
  endedAt: to,
  end: { kind: "done", outcomes: (step.op === "batch" ? step.ops : [step]).map(() => ({ status: "ok" as const })) },
  windows: (step.op === "batch" ? step.ops : [step]).map(() => ({ from, to })),
  versions: [],
  tripwires: [],
});

/** A free-running history in which the monitor saw a half-written file while `writer` ran. */
function historyWithHalfWrite(writer: Step): FreeRunningHistory {
  return {
    version: 1,
    mode: "free-running",
    storePath: "/tmp/store.json",
    storeModule: "store.js",
    capabilities: { knownLimitations: [] } as unknown as FreeRunningHistory["capabilities"],
    leftovers: [],
    unattributedTripwires: [],
    run: { seconds: 1, gateways: 1, externals: 0, seed: 5 },
    steps: [op(0, { actor: "g0", op: "merge", key: "g0-1", set: { note: "n1" } }, 1, 2), op(1, writer, 10, 20)],
    samples: [{ at: 15, state: "unparseable", bytes: 7, head: '{"g0-1"' }],
    final: { stat: { kind: "missing" }, hash: null, content: { kind: "missing" } },
  };
}

const violation = { check: "unparseable-look", step: -1, message: "the file was unparseable at 15 ms" } as never;

/** A look that saw a half-written file becomes "hold that writer before its rename, then kill it", for any writer step. */
describe("converting an unparseable look", () => {
  for (const writer of [
    { actor: "g0", op: "merge", key: "g0-2", set: { note: "n2" } },
    {
      actor: "g0",
      op: "batch",
      ops: [
        { op: "merge", key: "g0-2-a", set: { note: "n2" } },
        { op: "merge", key: "g0-2-b", set: { note: "n2" } },
      ],
    },
  ] as Step[]) {
    it(`a ${writer.op} step gives a valid schedule that holds its writer at before-rename and kills it`, () => {
      const history = historyWithHalfWrite(writer);
      const [candidate] = findCandidates(history, [violation], new Set());
      expect(candidate?.kind).toBe("unparseable-look");
      const schedule = buildSchedule(history, candidate!, "before-rename");
      expect(ScheduleSchema.safeParse(schedule).success).toBe(true);
      expect(findScheduleIssues(schedule)).toEqual([]);
      expect(schedule.steps).toEqual([
        {
          actor: "g0",
          op: "merge",
          key: writer.op === "batch" ? "g0-2-a" : "g0-2",
          set: { note: "n2" },
          pause: "before-rename",
        },
        { actor: "g0", op: "restart" },
      ]);
      expect(schedule.options.initial).toEqual({});
    });
  }
});

/** A batch whose window held another process's write is re-created with its first writer held around that write. */
describe("converting an overwrite inside a batch's window", () => {
  it("the batch's first writer pauses where its window started and resumes where it ended", () => {
    const batch: Step = {
      actor: "g1",
      op: "batch",
      ops: [
        { op: "merge", key: "g1-2-a", set: { note: "n2" } },
        { op: "merge", key: "g1-2-b", set: { note: "n2" } },
      ],
    };
    const write: Step = { actor: "x0", op: "write", changes: [{ kind: "set", key: "x0-3", set: { note: "n3" } }] };
    const history = {
      ...historyWithHalfWrite(batch),
      steps: [op(0, batch, 10, 30), op(1, write, 12, 20)],
      samples: [],
    };
    const candidate = {
      kind: "mid-flight-overlap" as const,
      victim: history.steps[1]!,
      others: [history.steps[0]!],
      properties: ["mid-flight-drift"],
      saw: "",
    };
    const schedule = buildSchedule(history, candidate, "after-load");
    expect(findScheduleIssues(schedule)).toEqual([]);
    expect(schedule.steps).toEqual([
      { actor: "g0", op: "merge", key: "g1-2-a", set: { note: "n2" }, pause: "after-load" },
      { ...write, actor: "x0" },
      { actor: "g0", op: "resume" },
    ]);
  });
});
