import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { normalizeHistory } from "../../harness/history/normalize.js";
import type { StepLockedHistory as History } from "../../harness/history/types.js";
import { defaultStoreModule, distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import type { ActorProcess } from "../../harness/pool/actor-process.js";
import type { CheckpointName, ScheduleInput } from "../../harness/schedule/schema.js";
import {
  allTripwires,
  entry,
  expectDead,
  fixtureModule,
  isAlive,
  ownRunDirs,
  run,
  statMismatch,
  statOf,
  storeOf,
} from "./helpers.js";

/**
 * Stores without `_setSessionStoreWriterCheckpointForTest` are held at the file-system
 * boundary: `after-load` when the writer calls its mutator, `before-rename` inside its rename
 * onto the store (held synchronously for `renameSync`, over the hold pipe).
 */
const HIDDEN = fixtureModule("no-checkpoint-store.mjs");
const pools = new Map<string, ActorPool>();
const pool = (module: string): ActorPool => {
  let found = pools.get(module);
  if (!found) pools.set(module, (found = new ActorPool({ storeModule: module })));
  return found;
};
afterAll(async () => {
  await Promise.all([...pools.values()].map((p) => p.close()));
});

/** Every gateway a run takes from the pool, so a test can ask how it held. */
function watchGateways(p: ActorPool): ActorProcess[] {
  const seen: ActorProcess[] = [];
  const acquire = p.acquire.bind(p);
  p.acquire = (role) => {
    const actor = acquire(role);
    if (role === "gateway") seen.push(actor);
    return actor;
  };
  return seen;
}

/** A writer held at `pause`, a read of its gateway and an outside write while it is held, then the resume. */
const midFlight = (pause: CheckpointName, coarseClock = false): ScheduleInput => ({
  options: { gateways: 1, externals: 1, coarseClock, initial: { a: { note: "n0" } } },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
    { actor: "g0", op: "merge", key: "a", set: { note: "n2" }, pause },
    { actor: "g0", op: "read", skipCache: true },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "x" } }] },
    { actor: "g0", op: "read", skipCache: false },
    ...(coarseClock ? [{ actor: "clock" as const, op: "tick" as const }] : []),
    { actor: "g0", op: "resume" },
    { actor: "g0", op: "merge", key: "c", set: { note: "n3" } },
  ],
});

/** What the schedule must show on any store that keeps the contract and is held where asked. */
function expectMidFlight(history: History, pause: CheckpointName): void {
  const [, held, readDisk, outside, readCached] = history.steps;
  expect(held!.end).toEqual({ kind: "paused", checkpoint: pause });
  expect(held!.after.hash).toBe(held!.before.hash);
  const before = { a: entry("a", 0, { note: "n1" }) };
  expect(readDisk!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: before }] });
  const outsideStore = { ...before, b: entry("b", 3, { note: "x" }) };
  expect(storeOf(outside!.after)).toEqual(outsideStore);
  expect(readCached!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: outsideStore }] });
  const resume = history.steps.find((record) => record.step.op === "resume")!;
  // mid-flight-drift: the held writer renames over the outside write, unsignalled.
  expect(resume.end).toEqual({ kind: "done", outcomes: [{ status: "ok" }] });
  expect(storeOf(resume.after)).toEqual({ a: entry("a", 1, { note: "n2" }) });
  expect(allTripwires(history)).toEqual([]);
  const last = history.steps.at(-1)!;
  expect(storeOf(last.after)).toEqual({
    a: entry("a", 1, { note: "n2" }),
    c: entry("c", history.steps.length - 1, { note: "n3" }),
  });
}

const comparable = (history: History) => {
  const { capabilities: _c, storeModule: _m, ...rest } = normalizeHistory(history);
  return rest;
};

describe("a store module without the checkpoint seam", () => {
  it("runs a schedule without pauses, tripwire included, and says its checkpoints are at the file-system boundary", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "B" } }] },
          { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
          { actor: "g0", op: "read", skipCache: false },
        ],
      },
      pool(HIDDEN),
    );
    expect(history.capabilities).toEqual({
      checkpoints: "fs",
      knownLimitations: ["mid-flight-drift", "empty-cache-bypass", "coarse-mtime"],
      tripwire: true,
    });
    const [write, external, merge] = history.steps;
    expect(allTripwires(history)).toEqual([
      { index: 2, payload: statMismatch(history.storePath, statOf(write!.after), statOf(external!.after)) },
    ]);
    const final = { a: entry("a", 2, { note: "AA" }), b: entry("b", 1, { note: "B" }) };
    expect(storeOf(merge!.after)).toEqual(final);
    expect(history.steps[3]!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: final }] });
  });

  for (const [pause, coarse] of [
    ["after-load", false],
    ["before-rename", false],
    ["before-rename", true],
  ] as const) {
    it(`our store with its hook hidden, held at ${pause}${coarse ? " on the coarse clock" : ""}, records what the hook records`, async () => {
      const gateways = watchGateways(pool(HIDDEN));
      const heldSync: boolean[] = [];
      const hidden = await run(midFlight(pause, coarse), pool(HIDDEN), {
        onStep: (record) => {
          if (record.end.kind === "paused") heldSync.push(gateways.at(-1)!.heldInSyncCall);
        },
      });
      const hooked = await run(midFlight(pause, coarse), pool(defaultStoreModule));
      expect(hooked.capabilities.checkpoints).toBe("hook");
      expect(hidden.capabilities.checkpoints).toBe("fs");
      expectMidFlight(hidden, pause);
      expect(comparable(hidden)).toEqual(comparable(hooked));
      // Our store renames with renameSync: that hold blocks the main thread; the mutator's does not.
      expect(heldSync).toEqual([pause === "before-rename"]);
    });
  }

  for (const calls of ["promises", "callback"] as const) {
    it(`holds a store whose reads and renames are ${calls === "promises" ? "fs.promises" : "callback"} calls, at both checkpoints`, async () => {
      const p = pool(fixtureModule(`fs-${calls}-store.mjs`));
      const gateways = watchGateways(p);
      for (const pause of ["after-load", "before-rename"] as const) {
        const history = await run(midFlight(pause), p, {
          onStep: (record) => {
            if (record.end.kind === "paused") expect(gateways.at(-1)!.heldInSyncCall).toBe(false);
          },
        });
        expect(history.capabilities.checkpoints).toBe("fs");
        expectMidFlight(history, pause);
      }
    });
  }

  it("after-load holds after the writer's last read of the store, not its first: a second read inside the write does not see the outside write", async () => {
    const history = await run(midFlight("after-load"), pool(fixtureModule("reads-twice-store.mjs")));
    expectMidFlight(history, "after-load");
  });

  it("a restart kills a gateway held inside renameSync: the pid is gone, its temp stays, the next writer lands", async () => {
    const dirs = ownRunDirs();
    const history = await run(
      {
        options: { gateways: 1, externals: 0, initial: { a: { note: "n0" } } },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "n1" }, pause: "before-rename" },
          { actor: "g0", op: "restart" },
          { actor: "g0", op: "merge", key: "b", set: { note: "n2" } },
          { actor: "g0", op: "merge", key: "c", set: { note: "n3" }, pause: "before-rename" },
        ],
      },
      pool(HIDDEN),
    );
    const [held, restart, next, heldAtEnd] = history.steps;
    expect(restart!.end).toEqual({ kind: "restarted", killedPid: held!.pid, killedWhilePaused: true });
    expectDead(held!.pid!);
    expect(storeOf(next!.after)).toEqual({ a: entry("a", 0, { note: "n0" }), b: entry("b", 2, { note: "n2" }) });
    // Leftovers are sorted by name: order the pids as their names sort (9747 after 10379).
    const pids = [held!.pid!, heldAtEnd!.pid!].sort((a, b) => `${a}.`.localeCompare(`${b}.`));
    expect(history.leftovers).toEqual(
      pids.map((pid) => expect.stringMatching(new RegExp(`^sessions\\.json\\.${pid}\\.[0-9a-f]+\\.tmp$`))),
    );
    // A run that ends with a writer held lets it go (after the leftovers above were taken): the
    // gateway lives on and serves the next run from a clean start, with nothing of this one.
    expect(isAlive(heldAtEnd!.pid!)).toBe(true);
    expect(pool(HIDDEN).pids()).toContain(heldAtEnd!.pid);
    const nextRun = await run(
      {
        options: { gateways: 1, externals: 0, initial: null },
        steps: [{ actor: "g0", op: "merge", key: "d", set: { note: "n4" } }],
      },
      pool(HIDDEN),
    );
    expect(nextRun.steps[0]!.pid).toBe(heldAtEnd!.pid);
    expect(storeOf(nextRun.steps[0]!.after)).toEqual({ d: entry("d", 0, { note: "n4" }) });
    expect(allTripwires(nextRun)).toEqual([]);
    expect(nextRun.unattributedTripwires).toEqual([]);
    expect(ownRunDirs()).toEqual(dirs);
  });

  it("a gateway held inside renameSync exits when its parent dies (the hold pipe closes)", async () => {
    const script = `
      const { ActorPool } = await import(${JSON.stringify(join(distDir, "harness", "pool", "pool.js"))});
      const { runSchedule } = await import(${JSON.stringify(join(distDir, "harness", "schedule", "runner.js"))});
      const { ScheduleSchema } = await import(${JSON.stringify(join(distDir, "harness", "schedule", "schema.js"))});
      const pool = new ActorPool({ storeModule: ${JSON.stringify(HIDDEN)} });
      const schedule = ScheduleSchema.parse({ options: { gateways: 1, externals: 0 }, steps: [
        { actor: "g0", op: "merge", key: "a", set: {}, pause: "before-rename" },
        { actor: "g0", op: "read", skipCache: true } ] });
      await runSchedule(schedule, pool, { onStep: (record) => {
        if (record.end.kind === "paused") { process.stdout.write(String(record.pid)); process.kill(process.pid, "SIGKILL"); }
      } });`;
    // A file, not --eval, in a folder of its own that is also the script's temp root: the killed
    // parent cannot remove its run directory, so the test removes it with the folder.
    const home = mkdtempSync(join(tmpdir(), "drift-parent-"));
    const file = join(home, "parent.mjs");
    // A clean environment: this test process's own IPC channel (NODE_CHANNEL_FD) is not the script's.
    const env = { PATH: process.env.PATH ?? "", SESSION_STORE_LOG_LEVEL: "silent", TMPDIR: home };
    writeFileSync(file, script);
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const child = promisify(execFile)(process.execPath, [file], { env });
    const { stdout } = await child.catch((error: { stdout: string }) => error);
    const pid = Number(stdout);
    expect(pid).toBeGreaterThan(0);
    // Exited: a zombie until whoever inherited it reaps it, or already gone.
    const exited = () => !isAlive(pid) || readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2] === "Z";
    const deadline = Date.now() + 5_000;
    while (!exited() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(exited(), `gateway ${pid} should have exited with its parent`).toBe(true);
    // The killed parent's run directory, with the held writer's temp in it, is in its own temp root.
    expect(readdirSync(home).filter((name) => name.startsWith("drift-run-"))).toHaveLength(1);
  });
});
