/**
 * Leftover temps (openclaw#89520): the hardened store removes the temps of its dead writers,
 * never a live writer's, never while the store itself is missing or unparseable.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultStoreModule, distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { runSchedule } from "../../harness/schedule/runner.js";
import type { ScheduleInput } from "../../harness/schedule/schema.js";
import { ScheduleSchema } from "../../harness/schedule/schema.js";
import { sweepDeadWriterTemps, throttledSweeper } from "../../src/hardened/sweep-temps.js";
import { serializeStore } from "../../src/persistence/read-store.js";
import { entry, useTempDir } from "./helpers.js";

const tmpDir = useTempDir();
const hardenedModule = join(distDir, "src", "hardened.js");

/** A pid that surely belonged to a process that is gone: a child that already exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ["-e", ""]).pid;
  if (!pid) throw new Error("could not start a child");
  return pid;
}

const temp = (pid: number, base = "sessions.json") => `${base}.${pid}.0123456789ab.tmp`;

describe("sweepDeadWriterTemps", () => {
  it("removes only the store's temps whose writer is dead", () => {
    const path = join(tmpDir(), "sessions.json");
    writeFileSync(path, serializeStore({ a: entry("a") }));
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"]);
    try {
      const dead = deadPid();
      const names = [
        temp(dead),
        temp(live.pid!),
        temp(process.pid),
        temp(dead, "other.json"),
        "sessions.json.external.0a1b2c3d.tmp",
        "sessions.json.fingerprint",
        `sessions.json.${dead}.notahexname.tmp`,
      ];
      for (const name of names) writeFileSync(join(tmpDir(), name), "{}");

      expect(sweepDeadWriterTemps(path)).toEqual([temp(dead)]);
      expect(readdirSync(tmpDir()).sort()).toEqual([...names.slice(1), "sessions.json"].sort());
    } finally {
      live.kill("SIGKILL");
    }
  });

  for (const [state, setUp] of [
    ["missing", () => undefined],
    ["unparseable", (path: string) => writeFileSync(path, "{ broken")],
    ["empty", (path: string) => writeFileSync(path, "")],
  ] as const) {
    it(`keeps every temp while the store is ${state}: one may be the only good copy`, () => {
      const path = join(tmpDir(), "sessions.json");
      setUp(path);
      const name = temp(deadPid());
      writeFileSync(join(tmpDir(), name), serializeStore({ a: entry("a") }));
      expect(sweepDeadWriterTemps(path)).toEqual([]);
      expect(readdirSync(tmpDir())).toContain(name);
    });
  }

  it("is throttled per store: the first write sweeps, the next ones within the period do not", () => {
    const path = join(tmpDir(), "sessions.json");
    writeFileSync(path, "{}\n");
    const sweep = throttledSweeper(60_000);
    writeFileSync(join(tmpDir(), temp(deadPid())), "{}");
    sweep(path);
    const later = temp(deadPid());
    writeFileSync(join(tmpDir(), later), "{}");
    sweep(path);
    expect(readdirSync(tmpDir()).filter((name) => name.endsWith(".tmp"))).toEqual([later]);
  });
});

describe("with real writers killed mid-write (harness gateways)", () => {
  const pools = new Map<string, ActorPool>();
  const pool = (module: string) =>
    pools.get(module) ?? pools.set(module, new ActorPool({ storeModule: module, stepTimeoutMs: 15_000 })).get(module)!;
  afterAll(async () => {
    await Promise.all([...pools.values()].map((p) => p.close()));
  });

  const schedule = (input: ScheduleInput) => ScheduleSchema.parse(input);
  const killedWhileHolding = schedule({
    options: { gateways: 1, externals: 0 },
    steps: [
      { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
      { actor: "g0", op: "merge", key: "b", set: { note: "n2" }, pause: "before-rename" },
      { actor: "g0", op: "restart" },
      { actor: "g0", op: "merge", key: "c", set: { note: "n3" } },
    ],
  });

  it("the default store leaves the killed writer's temp; the hardened store's next write sweeps it", {
    timeout: 60_000,
  }, async () => {
    const plain = await runSchedule(killedWhileHolding, pool(defaultStoreModule));
    const killed = plain.steps[2]!.end;
    expect(killed.kind).toBe("restarted");
    expect(plain.leftovers).toEqual([
      expect.stringMatching(
        new RegExp(`^sessions\\.json\\.${killed.kind === "restarted" ? killed.killedPid : 0}\\.[0-9a-f]{12}\\.tmp$`),
      ),
    ]);

    const hardened = await runSchedule(killedWhileHolding, pool(hardenedModule));
    expect(hardened.leftovers.filter((name) => name.endsWith(".tmp"))).toEqual([]);
    // Killed before its fingerprint write: the restarted gateway finds the file as the store
    // last wrote it, and says nothing.
    expect(hardened.steps[3]!.tripwires).toEqual([]);
    const last = hardened.steps.at(-1)!.after.content;
    expect(last.kind === "json" && Object.keys(last.store).sort()).toEqual(["a", "c"]);
  });

  it("never a live writer's: a gateway held before its rename keeps its temp while another sweeps, then lands", {
    timeout: 60_000,
  }, async () => {
    const history = await runSchedule(
      schedule({
        options: { gateways: 2, externals: 0 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
          { actor: "g0", op: "merge", key: "b", set: { note: "n2" }, pause: "before-rename" },
          { actor: "g1", op: "merge", key: "c", set: { note: "n3" } },
          { actor: "g0", op: "resume" },
        ],
      }),
      pool(hardenedModule),
    );
    // g1's write (its first: it sweeps) did not take g0's temp: g0's rename succeeded after it,
    // re-applied onto g1's write (one payload at the resume).
    expect(history.steps[3]!.end).toEqual({ kind: "done", outcomes: [{ status: "ok" }] });
    expect(history.steps[3]!.tripwires).toEqual([expect.objectContaining({ reason: "changed_before_rename" })]);
    const last = history.steps[3]!.after.content;
    expect(last.kind === "json" && Object.keys(last.store).sort()).toEqual(["a", "b", "c"]);
    expect(history.leftovers.filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});
