import { afterAll, describe, expect, it } from "vitest";
import { defaultCacheDir } from "../../adapters/openclaw/cache-dir.js";
import { fetchRelease } from "../../adapters/openclaw/fetch-release.js";
import { resolveStoreSpec } from "../../adapters/openclaw/resolve-release.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { ScheduleSchema, type ScheduleInput } from "../../harness/schedule/schema.js";
import { propertyById } from "../../properties/catalogue.js";
import { closedLimitations, evaluate } from "../../properties/run/evaluate.js";
import { probeCapabilities } from "../../properties/run/stores.js";
import { LIMITATION_IDS } from "../../src/types.js";
import { useRelease } from "./release-fixture.js";

/** Which release has which layout: the ones npm test downloads anyway, and one of the chunk layouts of 2026.2.2 to 2026.4.29. */
const PINNED = [
  {
    version: "2026.1.29",
    layout: {
      kind: "unbundled",
      serialization: "lock-file",
      acpPreservation: false,
      maintenanceOption: false,
      writerFile: "dist/config/sessions/store.js",
    },
  },
  {
    version: "2026.2.1",
    layout: {
      kind: "unbundled",
      serialization: "lock-file",
      acpPreservation: false,
      maintenanceOption: false,
      writerFile: "dist/config/sessions/store.js",
    },
  },
  {
    version: "2026.3.2",
    layout: {
      kind: "bundled",
      serialization: "lock-file",
      acpPreservation: false,
      maintenanceOption: true,
      writerFile: "dist/sessions-Oj8tiZLJ.js",
      bindings: {
        clearSessionStoreCacheForTest: {
          caches: [
            { file: "dist/sessions-Oj8tiZLJ.js", name: "SESSION_STORE_CACHE" },
            { file: "dist/sessions-Oj8tiZLJ.js", name: "SESSION_STORE_SERIALIZED_CACHE" },
          ],
        },
        writeTextAtomic: { file: "dist/sessions-Oj8tiZLJ.js", name: "writeTextAtomic" },
      },
    },
  },
  {
    version: "2026.5.6",
    layout: {
      kind: "bundled",
      serialization: "queue",
      acpPreservation: true,
      maintenanceOption: true,
      writerFile: "dist/store-BDbj36M4.js",
    },
  },
  {
    version: "2026.7.1",
    layout: {
      kind: "bundled",
      serialization: "queue",
      acpPreservation: false,
      maintenanceOption: true,
      writerFile: "dist/store-CRMOBYMq.js",
    },
  },
] as const;

const _silent = () => undefined;

describe("openclaw releases: the layouts the adapter knows", () => {
  const fixtures = PINNED.map(({ version }) => useRelease(version));
  PINNED.forEach(({ version, layout }, index) => {
    it(`openclaw@${version}: ${layout.kind}, ${layout.serialization}`, (ctx) => {
      expect(fixtures[index]!(ctx).release?.layout).toMatchObject(layout);
    });
  });

  it("a cached release resolves without npm: no progress line, same module", async (ctx) => {
    const first = fixtures[3]!(ctx);
    const lines: string[] = [];
    const again = await resolveStoreSpec("openclaw@2026.5.6", { progress: (line) => lines.push(line) });
    expect(lines).toEqual([]);
    expect(again.storeModule).toBe(first.storeModule);
    expect((await fetchRelease("2026.5.6", defaultCacheDir(), (line) => lines.push(line))).installed).toContain(
      "json5@^2.2.3",
    );
    expect(lines).toEqual([]);
  });
});

/** A few fixed schedules on real releases, checked by the properties explore runs. */
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

const SILENT_RELOAD: ScheduleInput = {
  options: { gateways: 1, externals: 1 },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "n2" } }] },
    { actor: "g0", op: "merge", key: "a", set: { note: "n3" } },
  ],
};

const MID_FLIGHT: ScheduleInput = {
  options: { gateways: 1, externals: 1 },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
    { actor: "g0", op: "merge", key: "a", set: { note: "n2" }, pause: "after-load" },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "outside" } }] },
    { actor: "g0", op: "resume" },
  ],
};

for (const version of ["2026.5.6", "2026.2.1"]) {
  describe(`openclaw@${version} through the harness`, () => {
    const release = useRelease(version);
    let pool: ActorPool | undefined;
    const poolFor = (ctx: Parameters<typeof release>[0]) => {
      const { storeModule, nodePath } = release(ctx);
      pool ??= new ActorPool({ storeModule, nodePath });
      return pool;
    };
    afterAll(async () => {
      await pool?.close();
    });

    it("declares what it lacks", async (ctx) => {
      const capabilities = await probeCapabilities(poolFor(ctx));
      expect(capabilities.absent?.map((a) => a.feature)).toEqual(
        version === "2026.5.6"
          ? ["tripwire", "checkpoint-hook"]
          : ["tripwire", "checkpoint-hook", "writer-queue", "acp-preservation", "writeTextAtomic"],
      );
    });

    it("overwrites an unparseable store (a real defect: its loadSessionStore reads a parse error as {})", async (ctx) => {
      const { messages } = await violationsOf(poolFor(ctx), "unparseable-refused", UNPARSEABLE);
      expect(messages.some((m) => m.startsWith("merge: overwrote the unparseable store"))).toBe(true);
    });

    it("reloads after an outside write without a signal, and loses nothing", async (ctx) => {
      const timing = await violationsOf(poolFor(ctx), "tripwire-timing", SILENT_RELOAD);
      // The lock-file release re-reads inside its lock on every write (writerCache: false): no
      // cache is invalidated, so the model expects no signal; the bundled one drops its entry silently.
      expect(timing.history.capabilities.writerCache).toBe(version === "2026.5.6" ? undefined : false);
      expect(timing.messages).toEqual(
        version === "2026.5.6" ? [`merge: expected 1 tripwire(s) ["stat_mismatch"], got 0 []`] : [],
      );
      const content = await violationsOf(poolFor(ctx), "no-lost-update", SILENT_RELOAD);
      expect(content.messages).toEqual([]);
    });

    it("holds a writer after its load without a seam, and the rename overwrites an outside write (mid-flight-drift)", async (ctx) => {
      const { history, messages } = await violationsOf(poolFor(ctx), "mid-flight-drift", MID_FLIGHT);
      expect(history.capabilities.checkpoints).toBe("fs");
      expect(history.steps[1]!.end).toEqual({ kind: "paused", checkpoint: "after-load" });
      expect(messages).toEqual([
        `resume: mid-flight-drift: the file changed between this writer's load and its rename; the write overwrote it unsignalled (no tripwire; the change was lost: the file holds {"a":{"sessionId":"sid-a","updatedAt":1,"note":"n2"}})`,
      ]);
    });
  });
}
