import { describe, expect, it } from "vitest";
import { ActorError } from "../../harness/pool/actor-process.js";
import type { StepRecord } from "../../harness/history/types.js";
import type { ScheduleInput } from "../../harness/schedule/schema.js";
import { expectDead, ownRunDirs, run, trackAcquired, usePool } from "./helpers.js";

/** An actor killed from outside mid-run: the run fails with a clear ActorError and cleans up. */
const pool = usePool();

const scenario: ScheduleInput = {
  options: { gateways: 1, externals: 1 },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "A" }, pause: "before-rename" },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "B" } }] },
    { actor: "g0", op: "resume" },
  ],
};

async function killDuring(victim: "g0" | "x0"): Promise<{ error: unknown; victimPid: number; acquired: number[] }> {
  const acquired = trackAcquired(pool());
  let victimPid = -1;
  const onStep = (record: StepRecord) => {
    if (record.index !== 0) return;
    // g0 is held at before-rename; x0 has not run yet. Its pid is the second one handed out.
    victimPid = victim === "g0" ? record.pid! : acquired[1]!;
    process.kill(victimPid, "SIGKILL");
  };
  const error = await run(scenario, pool(), { onStep }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return { error, victimPid, acquired };
}

describe("cleanup after an actor is killed from outside", () => {
  for (const victim of ["g0", "x0"] as const) {
    it(`${victim} SIGKILLed while g0 is paused: ActorError naming the process and the signal, all dead, directory gone`, async () => {
      const dirs = ownRunDirs();
      const { error, victimPid, acquired } = await killDuring(victim);
      expect(error).toBeInstanceOf(ActorError);
      const role = victim === "g0" ? "gateway" : "external";
      expect((error as Error).message).toMatch(
        new RegExp(`^${role} ${victimPid} exited \\(code none, signal SIGKILL\\)`),
      );
      expect(acquired).toHaveLength(2);
      for (const pid of acquired) expectDead(pid);
      expect(ownRunDirs()).toEqual(dirs);
    });
  }
});
