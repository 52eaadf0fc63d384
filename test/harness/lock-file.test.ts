import { describe, expect, it } from "vitest";
import type { StepLockedHistory } from "../../harness/history/types.js";
import { place } from "../../properties/arbitraries/schedule.js";
import { propertyById } from "../../properties/catalogue.js";
import { checkHistory } from "../../properties/checks/check-history.js";
import { resolvePredictions } from "../../properties/checks/resolve.js";
import { whyNotExplorable } from "../../properties/run/run-property.js";
import { entry, fixtureModule, run, storeOf, usePool } from "./helpers.js";

/**
 * A store serialized by a lock file (test/fixtures/lock-file-store.mjs, 3 s lock timeout): a
 * writer held at a checkpoint holds the lock, and one killed there leaves it behind.
 */
const pool = usePool({ storeModule: fixtureModule("lock-file-store.mjs") });
const noLostUpdate = propertyById("no-lost-update");
const closed = new Set(["coarse-mtime"] as const);
const violationsOf = (history: StepLockedHistory) =>
  checkHistory(history, { property: noLostUpdate.id, check: noLostUpdate.check, closed }).violations;
const longest = (history: StepLockedHistory) =>
  Math.max(...history.steps.map((record) => record.endedAt - record.startedAt));

describe("a lock-file store", () => {
  it("reports its serialization and that it keeps no writer cache", async () => {
    const history = await run(
      { options: { gateways: 1, externals: 0 }, steps: [{ actor: "g0", op: "merge", key: "a", set: { note: "A" } }] },
      pool(),
    );
    expect(history.capabilities).toMatchObject({
      checkpoints: "fs",
      tripwire: false,
      serialization: "lock-file",
      writerCache: false,
    });
  });

  it("a writer that finds the lock a killed writer left ends its step blocked at once, not at the lock timeout", async () => {
    const history = await run(
      {
        options: { gateways: 2, externals: 0 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "g0", op: "merge", key: "b", set: { note: "B" }, pause: "after-load" },
          { actor: "g0", op: "restart" },
          { actor: "g1", op: "merge", key: "c", set: { note: "C" } },
          {
            actor: "g1",
            op: "batch",
            ops: [
              { op: "merge", key: "d", set: { note: "D" } },
              { op: "delete-entry", key: "a" },
            ],
          },
          { actor: "g0", op: "merge", key: "e", set: { note: "E" } },
          { actor: "g1", op: "read", skipCache: true },
        ],
      },
      pool(),
    );
    const [first, , restart, merge, batch, again, read] = history.steps;
    expect(restart!.end).toMatchObject({ kind: "restarted", killedWhilePaused: true });
    expect(merge!.end).toEqual({ kind: "blocked", lock: "sessions.json.lock", outcomes: [null] });
    expect(batch!.end).toEqual({ kind: "blocked", lock: "sessions.json.lock", outcomes: [null, null] });
    expect(again!.end).toEqual({ kind: "blocked", lock: "sessions.json.lock", outcomes: [null] });
    // Nothing was written after the kill; a reader takes no lock.
    expect(read!.end).toEqual({
      kind: "done",
      outcomes: [{ status: "ok", value: { a: entry("a", 0, { note: "A" }) } }],
    });
    expect(storeOf(read!.after)).toEqual(storeOf(first!.after));
    expect(longest(history)).toBeLessThan(1_500);
    // The model expects exactly this: every writer after the kill waits, nothing changes.
    expect(violationsOf(history)).toEqual([]);
    expect(resolvePredictions(history, closed).map((p: { blockedBy: number | null }) => p.blockedBy)).toEqual([
      null,
      null,
      null,
      2,
      2,
      2,
      null,
    ]);
  });

  it("a blocked step the model does not expect is a violation", async () => {
    const history = await run(
      {
        options: { gateways: 2, externals: 0 },
        steps: [
          { actor: "g0", op: "merge", key: "b", set: { note: "B" }, pause: "before-rename" },
          { actor: "g0", op: "restart" },
          { actor: "g1", op: "merge", key: "c", set: { note: "C" } },
        ],
      },
      pool(),
    );
    expect(history.steps[2]!.end.kind).toBe("blocked");
    const forged: StepLockedHistory = { ...history, capabilities: { ...history.capabilities, serialization: "queue" } };
    expect(violationsOf(forged).map((v) => v.message)).toContain(
      "merge: waited for sessions.json.lock, but no writer was killed holding the lock",
    );
  });

  it("a writer that waits out the lock of a live held writer fails, and the model says so instead of throwing", async () => {
    // Hand-written: generated schedules resume the holder first (see place). The file is
    // missing before and after: the model used to throw "the store wrote but the file is missing".
    const history = await run(
      {
        options: { gateways: 2, externals: 0, initial: null },
        steps: [
          { actor: "g0", op: "merge", key: "b", set: { note: "B" }, pause: "before-rename" },
          { actor: "g1", op: "merge", key: "c", set: { note: "C" } },
        ],
      },
      pool(),
    );
    const waited = history.steps[1]!;
    expect(waited.end).toEqual({
      kind: "done",
      outcomes: [
        { status: "error", error: { name: "Error", message: expect.stringMatching(/^timeout acquiring the lock /) } },
      ],
    });
    expect(waited.after.stat.kind).toBe("missing");
    const messages = violationsOf(history).map((v) => `${v.step} ${v.check}`);
    expect(messages).toEqual(expect.arrayContaining(["1 outcome", "1 content"]));
  }, 20_000);
});

describe("schedules for a lock-file store", () => {
  const shape = (
    steps: { who: number; kind: "write" | "pause" | "restart" | "read"; body: Record<string, unknown> }[],
  ) => ({
    gateways: 2,
    externals: 0,
    coarseClock: false,
    initial: null,
    steps,
  });
  const write = { op: "merge", key: "a", set: { note: "n1" } };
  const held = { ...write, pause: "after-load" };

  it("place a writer aimed at another gateway after the held writer's resume, the only order the lock allows", () => {
    const steps = shape([
      { who: 0, kind: "pause", body: held },
      { who: 1, kind: "read", body: { op: "read", skipCache: true } },
      { who: 1, kind: "write", body: write },
    ]);
    expect(place(steps, { throwingEmitter: false, lockFile: true }).steps).toEqual([
      { actor: "g0", ...held },
      { actor: "g1", op: "read", skipCache: true },
      { actor: "g0", op: "resume" },
      { actor: "g1", ...write },
    ]);
    // A queue-serialized store's writers do not wait for each other across processes.
    expect(place(steps, { throwingEmitter: false, lockFile: false }).steps).toEqual([
      { actor: "g0", ...held },
      { actor: "g1", op: "read", skipCache: true },
      { actor: "g1", ...write },
    ]);
  });

  it("leave out the pauses after a held writer was killed: the lock it left keeps every writer from its checkpoints", () => {
    const steps = shape([
      { who: 0, kind: "pause", body: held },
      { who: 0, kind: "restart", body: { op: "restart" } },
      { who: 1, kind: "pause", body: held },
      { who: 1, kind: "write", body: write },
    ]);
    expect(place(steps, { throwingEmitter: false, lockFile: true }).steps).toEqual([
      { actor: "g0", ...held },
      { actor: "g0", op: "restart" },
      { actor: "g1", ...write },
      { actor: "g1", ...write },
    ]);
  });

  it("with killsHeldOnly (crash-safety), keep only the restarts that kill a writer mid-write", () => {
    const steps = shape([
      { who: 0, kind: "restart", body: { op: "restart" } },
      { who: 0, kind: "pause", body: held },
      { who: 1, kind: "restart", body: { op: "restart" } },
      { who: 0, kind: "restart", body: { op: "restart" } },
      { who: 0, kind: "restart", body: { op: "restart" } },
    ]);
    expect(place(steps, { throwingEmitter: false, killsHeldOnly: true }).steps).toEqual([
      { actor: "g0", ...held },
      { actor: "g0", op: "restart" },
    ]);
    expect(
      place(steps, { throwingEmitter: false }).steps.filter((step) => "op" in step && step.op === "restart"),
    ).toHaveLength(4);
  });
});

describe("what cannot be explored on a lock-file release", () => {
  const release = { checkpoints: "fs", tripwire: false, serialization: "lock-file", writerCache: false } as const;

  it("coarse-mtime: there is no writer cache to be stale", () => {
    expect(whyNotExplorable(propertyById("coarse-mtime"), release, "hold")).toMatch(/^the store keeps no writer cache/);
    expect(
      whyNotExplorable(propertyById("coarse-mtime"), { ...release, writerCache: true }, "reproduce"),
    ).toBeUndefined();
  });

  it("a limitation declared closed, on a store without a tripwire emitter: the wanted signal cannot be received", () => {
    expect(whyNotExplorable(propertyById("mid-flight-drift"), release, "hold")).toMatch(
      /^the store declares mid-flight-drift closed but has no tripwire emitter/,
    );
    expect(whyNotExplorable(propertyById("mid-flight-drift"), release, "reproduce")).toBeUndefined();
  });
});

describe("a store that declares ACP preservation absent", () => {
  it("acp-survives is not explorable, and the model writes what the mutator made", async () => {
    const absent = [{ feature: "acp-preservation", reason: "the writer keeps no snapshot of the entries' acp" }];
    expect(whyNotExplorable(propertyById("acp-survives"), { checkpoints: "fs", absent })).toBe(
      "the store declares acp-preservation absent (the writer keeps no snapshot of the entries' acp): there is no preservation to check",
    );
    const history = await run(
      {
        options: { gateways: 1, externals: 0, initial: { a: { note: "n0" } } },
        steps: [
          { actor: "g0", op: "acp-bind", key: "a", acp: { backend: "acpx", agent: "codex", state: "bound" } },
          { actor: "g0", op: "replace-entry", key: "a", set: { note: "n1" } },
        ],
      },
      pool(),
    );
    // The fixture keeps no acp: a replaced entry loses it, which is what it declares.
    expect(storeOf(history.steps[1]!.after).a.acp).toBeUndefined();
    expect(violationsOf({ ...history, capabilities: { ...history.capabilities, absent } })).toEqual([]);
    expect(violationsOf(history).map((v) => v.check)).toEqual(["content"]);
  });
});
