import { afterAll, describe, expect, it } from "vitest";
import { ActorPool } from "../../harness/pool/pool.js";
import { ScheduleSchema, type ScheduleInput } from "../../harness/schedule/schema.js";
import { propertyById } from "../../properties/catalogue.js";
import { closedLimitations, evaluate } from "../../properties/run/evaluate.js";
import { probeCapabilities } from "../../properties/run/stores.js";
import { LIMITATION_IDS } from "../../src/types.js";
import { usePackage } from "./package-fixture.js";

/** The latest release of each package, as npm test fetches them; other versions are checked by hand against their code. */
const LATEST = ["configstore@8.0.0", "conf@16.0.0", "lowdb@7.0.1"] as const;

async function violationsOf(pool: ActorPool, propertyId: string, input: ScheduleInput) {
  const capabilities = await probeCapabilities(pool);
  const closed = closedLimitations(capabilities.knownLimitations, LIMITATION_IDS);
  const { history, violations } = await evaluate(propertyById(propertyId), ScheduleSchema.parse(input), pool, closed);
  return { history, messages: violations.map((v) => v.message) };
}

const UNPARSEABLE: ScheduleInput = {
  options: { gateways: 1, externals: 1 },
  steps: [
    { actor: "x0", op: "bad-edit", kind: "invalid-json" },
    { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
  ],
};

/** A writer held inside its rename (configstore's and conf's is a synchronous renameSync) while another process writes. */
const HELD_IN_RENAME: ScheduleInput = {
  options: { gateways: 1, externals: 1 },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
    { actor: "g0", op: "merge", key: "a", set: { note: "n2" }, pause: "before-rename" },
    { actor: "g0", op: "read", skipCache: true },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "n3" } }] },
    { actor: "g0", op: "resume" },
  ],
};

/** Two processes' writers at once: steno gives both the one temp name `.sessions.json.tmp`. */
const SHARED_TEMP: ScheduleInput = {
  options: { gateways: 2, externals: 0 },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "n1" }, pause: "before-rename" },
    { actor: "g1", op: "merge", key: "b", set: { note: "n2" } },
    { actor: "g0", op: "resume" },
  ],
};

for (const spec of LATEST) {
  const name = spec.slice(0, spec.indexOf("@"));
  describe(`${spec} through the harness`, () => {
    const release = usePackage(spec);
    let pool: ActorPool | undefined;
    const poolFor = (ctx: Parameters<typeof release>[0]) => {
      const { storeModule, nodePath } = release(ctx);
      pool ??= new ActorPool({ storeModule, nodePath });
      return pool;
    };
    afterAll(async () => {
      await pool?.close();
    });

    it("declares no writer cache, no cross-process lock, no tripwire", async (ctx) => {
      const capabilities = await probeCapabilities(poolFor(ctx));
      expect(capabilities).toMatchObject({
        checkpoints: "fs",
        tripwire: false,
        serialization: "queue",
        writerCache: false,
        knownLimitations: ["mid-flight-drift", "empty-cache-bypass"],
      });
      expect(capabilities.absent?.map((a) => a.feature)).toEqual([
        "tripwire",
        "checkpoint-hook",
        "writeTextAtomic",
        "acp-preservation",
        "cross-process-lock",
      ]);
    });

    it(
      name === "configstore"
        ? "empties an unparseable file and writes over it (clearInvalidConfig defaults to true)"
        : "refuses an unparseable file and keeps it",
      async (ctx) => {
        const { history, messages } = await violationsOf(poolFor(ctx), "unparseable-refused", UNPARSEABLE);
        if (name === "configstore") {
          expect(messages.some((m) => m.startsWith("merge: overwrote the unparseable store"))).toBe(true);
        } else {
          expect(messages).toEqual([]);
          expect(history.steps[1]!.after.hash).toBe(history.steps[0]!.after.hash);
        }
      },
    );

    it("holds a writer inside its rename for real: the file is untouched until resume, and the rename overwrites an outside write", async (ctx) => {
      const { history, messages } = await violationsOf(poolFor(ctx), "mid-flight-drift", HELD_IN_RENAME);
      expect(history.steps[1]!.end).toEqual({ kind: "paused", checkpoint: "before-rename" });
      expect(history.steps[1]!.after.hash).toBe(history.steps[0]!.after.hash);
      // A reader answers while the writer is held (inside a blocked renameSync for the synchronous packages).
      expect(history.steps[2]!.end).toMatchObject({
        kind: "done",
        outcomes: [{ status: "ok", value: { a: { note: "n1" } } }],
      });
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^resume: mid-flight-drift: .* the change was lost/);
    });

    it(
      name === "lowdb"
        ? "two processes share steno's temp name: the held writer's rename fails with ENOENT"
        : "two processes' temps never collide",
      async (ctx) => {
        const { history, messages } = await violationsOf(poolFor(ctx), "no-lost-update", SHARED_TEMP);
        if (name === "lowdb") {
          expect(history.steps[2]!.end).toMatchObject({
            kind: "done",
            outcomes: [
              {
                status: "error",
                error: { message: expect.stringContaining("ENOENT: no such file or directory, rename") },
              },
            ],
          });
          expect(messages.some((m) => m.includes(".sessions.json.tmp"))).toBe(true);
        } else {
          expect(messages).toEqual([]);
        }
      },
    );
  });
}
