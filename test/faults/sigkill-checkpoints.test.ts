import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dir } from "tmp-promise";
import { describe, expect, it } from "vitest";
import type { StepRecord } from "../../harness/history/types.js";
import { distDir } from "../../harness/paths.js";
import { withPool } from "../../harness/pool/pool.js";
import { runSchedule } from "../../harness/schedule/runner.js";
import type { CheckpointName } from "../../harness/schedule/schema.js";
import type { StepLockedHistory } from "../../harness/history/types.js";
import {
  allTripwires,
  entry,
  expectDead,
  isAlive,
  ownRunDirs,
  schedule,
  statOf,
  storeOf,
  trackAcquired,
} from "../harness/helpers.js";
import { useCheckedPool } from "./helpers.js";

/**
 * A gateway process SIGKILLed while a writer is held at each checkpoint (real processes, the
 * project's store): the store's bytes stay as they were, a temp is left only by a writer that
 * had written it (before-rename) and it names the killed pid, and the next writer, in a fresh
 * process, reads the disk (a miss, no tripwire) and lands.
 */
const CLOCK_PROBE = ".drift-clock-probe";

const killedAt = (pause: CheckpointName) =>
  schedule({
    options: { gateways: 1, externals: 0, initial: { a: { note: "n1" } } },
    steps: [
      { actor: "g0", op: "merge", key: "a", set: { note: "n2" }, pause },
      { actor: "g0", op: "restart" },
      { actor: "g0", op: "merge", key: "b", set: { note: "n3" } },
    ],
  });

type Seen = { listing: string[]; temps: Record<string, string> };

describe("SIGKILL of a gateway holding a writer at a checkpoint", () => {
  const pool = useCheckedPool();

  for (const pause of ["after-load", "before-rename"] as const) {
    it(`killed at ${pause}`, async () => {
      // The run directory goes under a root of our own, so each step's directory can be read.
      const root = await dir({ prefix: "drift-sigkill-", unsafeCleanup: true });
      const seen: Seen[] = [];
      try {
        const onStep = (_record: StepRecord) => {
          const [runDir, ...others] = readdirSync(root.path);
          expect(others).toEqual([]);
          const path = join(root.path, runDir!);
          const listing = readdirSync(path)
            .filter((name) => name !== CLOCK_PROBE)
            .sort();
          const temps = Object.fromEntries(
            listing
              .filter((name) => name.endsWith(".tmp"))
              .map((name) => [name, readFileSync(join(path, name), "utf8")]),
          );
          seen.push({ listing, temps });
        };
        const history = await runSchedule(killedAt(pause), pool(), { tmpRoot: root.path, onStep });
        expect(readdirSync(root.path)).toEqual([]);

        const [held, restart, next] = history.steps;
        const killed = held!.pid!;
        const initial = { a: entry("a", 0, { note: "n1" }) };
        expect(storeOf(history.initial)).toEqual(initial);

        // Held, then killed: the file never changed, byte for byte (hash) and stat.
        expect(held!.end).toEqual({ kind: "paused", checkpoint: pause });
        expect(restart!.end).toEqual({ kind: "restarted", killedPid: killed, killedWhilePaused: true });
        expectDead(killed);
        for (const record of [held!, restart!]) {
          expect(record.after.hash).toBe(history.initial.hash);
          expect(statOf(record.after)).toEqual(statOf(history.initial));
        }
        expect(allTripwires(history)).toEqual([]);

        const temp = new RegExp(`^sessions\\.json\\.${killed}\\.[0-9a-f]{12}\\.tmp$`);
        const wouldHaveWritten = { a: entry("a", 0, { note: "n2" }) };
        if (pause === "after-load") {
          expect(seen[0]!.listing).toEqual(["sessions.json"]);
          expect(seen[1]!.listing).toEqual(["sessions.json"]);
          expect(history.leftovers).toEqual([]);
        } else {
          // The temp was complete when the writer was held; the kill leaves it, named by the pid.
          const [name] = Object.keys(seen[0]!.temps);
          expect(name).toMatch(temp);
          expect(seen[0]!.listing).toEqual(["sessions.json", name].sort());
          expect(JSON.parse(seen[0]!.temps[name!]!)).toEqual(wouldHaveWritten);
          expect(seen[1]).toEqual(seen[0]);
          expect(history.leftovers).toEqual([name]);
        }

        // The next writer is a fresh process: no cache, a silent miss; it reads the disk and lands.
        expect(next!.pid).not.toBe(killed);
        expect(next!.end).toEqual({ kind: "done", outcomes: [{ status: "ok" }] });
        expect(next!.tripwires).toEqual([]);
        expect(storeOf(next!.after)).toEqual({ ...initial, b: entry("b", 2, { note: "n3" }) });
        expect(seen[2]!.listing).toEqual(seen[1]!.listing);
      } finally {
        await root.cleanup();
      }
    });
  }
});

describe("can fail: the same kill at before-rename on broken variants", () => {
  /** One run on a pool of the variant; every process it handed out is dead afterwards. */
  async function runOn(name: string): Promise<StepLockedHistory> {
    let pids: number[] = [];
    const history = await withPool({ storeModule: join(distDir, "variants", "by-name", `${name}.js`) }, (pool) => {
      pids = trackAcquired(pool);
      return runSchedule(killedAt("before-rename"), pool);
    });
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(ownRunDirs()).toEqual([]);
    return history;
  }

  it("in-place-write: the held writer has already half-rewritten the store (its bytes change)", async () => {
    const history = await runOn("in-place-write");
    const [held, restart] = history.steps;
    expect(held!.end).toEqual({ kind: "paused", checkpoint: "before-rename" });
    expect(held!.after.hash).not.toBe(history.initial.hash);
    expect(restart!.after.content.kind).toBe("unparseable");
    expect(history.leftovers).toEqual([]);
  });

  it("anonymous-temp: the leftover temp does not name the killed pid", async () => {
    const history = await runOn("anonymous-temp");
    const killed = history.steps[0]!.pid!;
    expect(history.steps[1]!.after.hash).toBe(history.initial.hash);
    expect(history.leftovers).toHaveLength(1);
    expect(history.leftovers[0]).not.toContain(String(killed));
  });
});
