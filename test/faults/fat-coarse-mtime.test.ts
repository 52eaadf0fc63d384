import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { StepLockedHistory } from "../../harness/history/types.js";
import { fatUnavailableReason, withFatMount, type Mounted } from "./mounts/mount.js";
import { defaultStoreModule } from "../../harness/paths.js";
import { runSchedule, type RunOptions } from "../../harness/schedule/runner.js";
import type { PropertyDefinition } from "../../properties/definition.js";
import { coarseMtime } from "../../properties/limitations/coarse-mtime.property.js";
import { renderTimeline } from "../../properties/report/timeline.js";
import { runProperty } from "../../properties/run/run-property.js";
import { allTripwires, entry, schedule, statMismatch, statOf, storeOf } from "../harness/helpers.js";
import { describeFailure } from "../properties/describe-failure.js";
import { TEST_SEED } from "../properties/pool-fixture.js";
import { expectTornDown, ownLoopDevices, skipLocallyFailInCi, useCheckedPool } from "./helpers.js";

/**
 * The coarse-mtime limitation on a real coarse clock: a FAT file system stores mtimes in 2 s
 * steps, so a same-size atomic write (temp + rename, nothing restored by hand) within 2 s of
 * the gateway's own write leaves mtimeMs and size as the gateway's cache recorded them.
 * Decided at collection: without root, mkfs.vfat or a way to mount FAT, these tests skip.
 * DRIFT_FAT_VIA=loop|fuse forces the kernel's vfat or fusefat (default: the kernel's, else fusefat).
 */
const fatVia = (process.env.DRIFT_FAT_VIA ?? "auto") as "auto" | "loop" | "fuse";
const fatReason = skipLocallyFailInCi("fat-coarse-mtime", await fatUnavailableReason({ via: fatVia }));

/** On FAT, runs keep the file system's own clock: no virtual clock, no clock advancing. */
const onFat = (fat: Mounted): RunOptions => ({ tmpRoot: fat.path, fileClock: "as-is" });

/**
 * The coarse-mtime property with nothing that fakes a coarse clock: no virtual clock, no
 * same-second edit (which restores the mtime by hand). Only plain external atomic writes;
 * any reproduction comes from the file system's clock.
 */
const coarseMtimeRealClock: PropertyDefinition = {
  ...coarseMtime,
  profile: {
    ...coarseMtime.profile,
    coarseClock: "never",
    steps: { write: 4, read: 1, "external-write": 4 },
  },
};

const threeSteps = schedule({
  options: { gateways: 1, externals: 1, initial: { a: { note: "n1" }, b: { note: "n1" } } },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "n2" } },
    // Same byte count: note n1 -> n2, updatedAt 0 -> 1.
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "n2" } }] },
    { actor: "g0", op: "merge", key: "a", set: { note: "n3" } },
  ],
});

const lost = { a: entry("a", 2, { note: "n3" }), b: entry("b", 0, { note: "n1" }) };
const kept = { a: entry("a", 2, { note: "n3" }), b: entry("b", 1, { note: "n2" }) };

const presentMtimes = (history: StepLockedHistory): number[] =>
  [history.initial, ...history.steps.flatMap((step) => [step.before, step.after])].flatMap((snapshot) =>
    snapshot.stat.kind === "present" ? [snapshot.stat.mtimeMs] : [],
  );

describe("coarse-mtime on a real FAT file system", () => {
  const pool = useCheckedPool();

  it.skipIf(fatReason)(
    "the coarse-mtime property reproduces with real FAT mtimes (no virtual clock, no restored mtime)",
    { timeout: 300_000 },
    async () => {
      const mounted = await withFatMount({ via: fatVia }, async (fat) => {
        console.log(`FAT: ${fat.description}`);
        expect(await ownLoopDevices()).toEqual(fat.loopDevice ? [expect.stringContaining(fat.image!)] : []);
        const result = await runProperty(coarseMtimeRealClock, {
          pool: pool(),
          capabilities: { checkpoints: "hook" },
          closed: new Set(),
          seed: TEST_SEED,
          runOptions: onFat(fat),
        });
        expect(result.expectation).toBe("reproduce");
        // describeFailure also saves the scenario file: only when the verdict is wrong.
        if (result.verdict !== "reproduced" || result.error) expect.fail(describeFailure(result, defaultStoreModule));
        const { schedule: found, history, violations } = result.counterexample!;
        console.log(
          `coarse-mtime on FAT: reproduced (seed ${result.seed}, ${result.runs} runs)\n${renderTimeline(history, violations)}`,
        );
        // It ran on the mount, on the file system's clock: every recorded mtime is a FAT 2 s step.
        expect(history.storePath.startsWith(`${fat.path}/`)).toBe(true);
        expect(found.options.coarseClock).toBe(false);
        expect(found.steps.map((step) => step.op)).not.toContain("same-second-edit");
        expect(presentMtimes(history).filter((ms) => ms % 2000 !== 0)).toEqual([]);
        // One violation, at a gateway writer that emitted nothing.
        expect(violations).toHaveLength(1);
        const at = violations[0]!.step;
        expect(violations[0]!.message).toMatch(/coarse-mtime: the file changed but its mtimeMs and size did not/);
        expect(found.steps[at]!.actor).toBe("g0");
        expect(history.steps[at]!.tripwires).toEqual([]);
        // The outside change before it: a plain atomic write (new inode, new bytes) that FAT's
        // clock left with the very mtimeMs and size the file had.
        const external = history.steps
          .slice(0, at)
          .filter((record) => record.step.actor === "x0")
          .at(-1)!;
        expect(external.step.op).toBe("write");
        expect(statOf(external.after).mtimeMs).toBe(statOf(external.before).mtimeMs);
        expect(statOf(external.after).size).toBe(statOf(external.before).size);
        expect(statOf(external.after).ino).not.toBe(statOf(external.before).ino);
        expect(external.after.hash).not.toBe(external.before.hash);
        // Minimal is 3 steps (g0 writer, x0 write, g0 writer). Shrinking re-runs on the real clock,
        // and a re-run that straddles a 2 s step does not fail: one removable step may survive.
        expect(found.steps.length).toBeGreaterThanOrEqual(3);
        expect(found.steps.length).toBeLessThanOrEqual(4);
        // Every run directory was removed from the mount.
        expect(readdirSync(fat.path)).toEqual([]);
        return fat;
      });
      await expectTornDown(mounted);
    },
  );

  it.skipIf(fatReason)(
    "gateway merge, same-size external write, gateway merge: no tripwire and the external change is lost",
    { timeout: 120_000 },
    async () => {
      const mounted = await withFatMount({ via: fatVia }, async (fat) => {
        const attempts: string[] = [];
        // Not a flaky-test retry: each attempt is checked exactly below. An attempt whose external
        // write landed in the next 2 s step (seen in the recorded mtimes, not guessed from the wall
        // clock) is a different case, where the tripwire must fire and the change be kept; only
        // then is the schedule run again, to get the case under test.
        for (let attempt = 0; attempt < 6; attempt++) {
          const history = await runSchedule(threeSteps, pool(), onFat(fat));
          const [first, external, next] = history.steps;
          const written = statOf(first!.after);
          const outside = statOf(external!.after);
          expect(presentMtimes(history).filter((ms) => ms % 2000 !== 0)).toEqual([]);
          expect(outside.size).toBe(written.size);
          expect(external!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: { bytes: written.size } }] });
          expect(next!.end).toEqual({ kind: "done", outcomes: [{ status: "ok" }] });
          expect(history.leftovers).toEqual([]);
          if (outside.mtimeMs === written.mtimeMs) {
            expect(allTripwires(history)).toEqual([]);
            expect(storeOf(external!.after).b).toEqual(entry("b", 1, { note: "n2" }));
            expect(storeOf(next!.after)).toEqual(lost);
            return fat;
          }
          // The 2 s step moved between the two writes: the stat differs, the tripwire fires.
          expect(allTripwires(history)).toEqual([
            { index: 2, payload: statMismatch(history.storePath, written, outside) },
          ]);
          expect(storeOf(next!.after)).toEqual(kept);
          attempts.push(`${written.mtimeMs} -> ${outside.mtimeMs}`);
        }
        throw new Error(`every attempt crossed a 2 s boundary between the two writes: ${attempts.join(", ")}`);
      });
      await expectTornDown(mounted);
    },
  );
});

describe("the same schedule off FAT (control: nanosecond mtimes)", () => {
  const pool = useCheckedPool();

  it("the external write changes the mtime: the tripwire fires and the change is kept", async () => {
    const history = await runSchedule(threeSteps, pool());
    const [first, external] = history.steps;
    const written = statOf(first!.after);
    const outside = statOf(external!.after);
    expect(outside.size).toBe(written.size);
    expect(outside.mtimeMs).toBeGreaterThan(written.mtimeMs);
    expect(allTripwires(history)).toEqual([{ index: 2, payload: statMismatch(history.storePath, written, outside) }]);
    expect(storeOf(history.steps[2]!.after)).toEqual(kept);
  });

  it("the real-clock coarse-mtime property does not reproduce within its budget", { timeout: 300_000 }, async () => {
    const result = await runProperty(coarseMtimeRealClock, {
      pool: pool(),
      capabilities: { checkpoints: "hook" },
      closed: new Set(),
      seed: TEST_SEED,
    });
    expect(result.verdict, describeFailure(result, defaultStoreModule)).toBe("not-reproduced");
    expect(result.runs).toBe(coarseMtime.defaultRuns);
  });
});
