import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, type TestContext } from "vitest";
import { ActorPool } from "../../harness/pool/pool.js";
import { runSchedule } from "../../harness/schedule/runner.js";
import { ScheduleSchema } from "../../harness/schedule/schema.js";
import { probeCapabilities } from "../../properties/run/stores.js";
import { useRelease } from "./release-fixture.js";

/** A release and one pool of its gateways for the describe block, closed after it. */
function useReleasePool(version: string) {
  const release = useRelease(version);
  let pool: ActorPool | undefined;
  const poolOf = (ctx: TestContext) => {
    const resolved = release(ctx);
    pool ??= new ActorPool({ storeModule: resolved.storeModule, nodePath: resolved.nodePath });
    return pool;
  };
  afterAll(async () => pool?.close());
  return { release, poolOf };
}

/** A warm process's reset closes the last run's databases; whatever they write, its directory stays gone. */
function leavesNoRunDirectory(poolOf: (ctx: TestContext) => ActorPool): void {
  it("leaves no run directory behind: a warm process's reset does not create the last run's again", async (ctx) => {
    const root = mkdtempSync(join(tmpdir(), "drift-sqlite-runs-"));
    try {
      const schedule = ScheduleSchema.parse({
        options: { gateways: 1, externals: 0 },
        steps: [{ actor: "g0", op: "merge", key: "a", set: { note: "n1" } }],
      });
      // The second run resets the warm gateway, closing the first run's connections.
      for (let run = 0; run < 2; run++) await runSchedule(schedule, poolOf(ctx), { tmpRoot: root });
      expect(readdirSync(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
}

/** The first SQLite-era release, fetched into the cache like the JSON ones; one pool, a few fixed schedules. */
describe("openclaw@2026.8.1: the SQLite session store under the contract", () => {
  const { release, poolOf } = useReleasePool("2026.8.1");

  it("is found by content and declares serialization sqlite, no tripwire, its databases", async (ctx) => {
    const resolved = release(ctx);
    expect(resolved.release?.layout).toMatchObject({
      kind: "sqlite",
      writerFile: "dist/session-store-runtime-DIDzjIoO.js",
      acpFile: "dist/session-meta-DKg1xqBq.js",
    });
    expect(resolved.release?.installed).toContain("@openclaw/fs-safe@0.5.6");
    const capabilities = await probeCapabilities(poolOf(ctx));
    expect(capabilities).toMatchObject({
      checkpoints: "fs",
      tripwire: false,
      serialization: "sqlite",
      writerCache: false,
      storeFiles: { kind: "sqlite", database: "openclaw-agent.sqlite" },
    });
  }, 120_000);

  it("writes through updateSessionStore and acp_sessions, read back by the snapshot reader in the Store shape", async (ctx) => {
    const history = await runSchedule(
      ScheduleSchema.parse({
        options: { gateways: 2, externals: 0 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
          { actor: "g1", op: "acp-bind", key: "a", acp: { backend: "acpx", agent: "codex", state: "bound" } },
          { actor: "g0", op: "merge", key: "b", set: { note: "n2" }, pause: "before-rename" },
          { actor: "g0", op: "resume" },
          { actor: "g1", op: "merge", key: "a", set: { note: "n3" } },
          { actor: "g0", op: "read", skipCache: false },
        ],
      }),
      poolOf(ctx),
    );
    expect(history.steps.map((step) => step.end.kind)).toEqual(["done", "done", "paused", "done", "done", "done"]);
    // Held before COMMIT: b is not there yet.
    expect(history.steps[2]!.after.content).toEqual({
      kind: "json",
      store: {
        a: { sessionId: "sid-a", updatedAt: 1, note: "n1", acp: { backend: "acpx", agent: "codex", state: "bound" } },
      },
    });
    const final = {
      a: { sessionId: "sid-a", updatedAt: 4, note: "n3", acp: { backend: "acpx", agent: "codex", state: "bound" } },
      b: { sessionId: "sid-b", updatedAt: 2, note: "n2" },
    };
    expect(history.steps[5]!.after.content).toEqual({ kind: "json", store: final });
    const read = history.steps[5]!.end;
    expect(read.kind === "done" && read.outcomes[0]).toEqual({ status: "ok", value: final });
    expect(history.leftovers).toEqual([]);
  }, 120_000);

  it("gives a re-created entry a new session, so the ACP row of the one deleted is not its own", async (ctx) => {
    const history = await runSchedule(
      ScheduleSchema.parse({
        options: { gateways: 1, externals: 0 },
        steps: [
          { actor: "g0", op: "acp-bind", key: "b", acp: { backend: "acpx", agent: "codex", state: "bound" } },
          { actor: "g0", op: "delete-entry", key: "b" },
          { actor: "g0", op: "merge", key: "b", set: { note: "n1" } },
          { actor: "g0", op: "read", skipCache: false },
        ],
      }),
      poolOf(ctx),
    );
    const final = { b: { sessionId: "sid-b", updatedAt: 2, note: "n1" } };
    expect(history.steps[3]!.after.content).toEqual({ kind: "json", store: final });
    const read = history.steps[3]!.end;
    expect(read.kind === "done" && read.outcomes[0]).toEqual({ status: "ok", value: final });
  }, 120_000);

  leavesNoRunDirectory(poolOf);
});

/** The newest stable release (2026-12-04): `.mjs` chunks, node@24, an integrity record per agent database. */
describe("openclaw@2026.9.6: the SQLite session store under the contract", () => {
  const { release, poolOf } = useReleasePool("2026.9.6");

  it("is found by content in its .mjs chunks and runs on node@24", async (ctx) => {
    const resolved = release(ctx);
    expect(resolved.release?.layout).toMatchObject({ kind: "sqlite", writerFile: expect.stringMatching(/\.mjs$/) });
    expect(resolved.nodePath).toMatch(/node\/24\//);
    expect(await probeCapabilities(poolOf(ctx))).toMatchObject({ serialization: "sqlite", tripwire: false });
  }, 120_000);

  leavesNoRunDirectory(poolOf);
});
