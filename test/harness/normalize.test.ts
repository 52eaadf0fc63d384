import { describe, expect, it } from "vitest";
import { mtimeMsFromNs, normalizeHistory } from "../../harness/history/normalize.js";
import type { FileSnapshot, StepLockedHistory, StepRecord } from "../../harness/history/types.js";
import { schedule } from "./helpers.js";

/** normalizeHistory on a hand-made history: every run-specific value, and nothing else, replaced. */

type Run = { dir: string; pids: [number, number, number]; mtimes: number[]; inodes: number[]; t: number };

const present = (mtimeMs: number, size: number, ino: number): FileSnapshot => ({
  stat: { kind: "present", mtimeMs, size, ino },
  hash: `hash-${size}`,
  content: { kind: "json", store: {} },
});
const missing: FileSnapshot = { stat: { kind: "missing" }, hash: null, content: { kind: "missing" } };

const steps = schedule({
  options: { gateways: 1, externals: 1 },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: {} },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: {} }] },
    { actor: "g0", op: "merge", key: "a", set: {} },
    { actor: "x0", op: "same-second-edit", sameSize: false, changes: [{ kind: "set", key: "b", set: {} }] },
    { actor: "g0", op: "restart" },
    { actor: "x0", op: "delete-file", how: "rename-away" },
    { actor: "g0", op: "merge", key: "a", set: {} },
  ],
});

/** One made-up run: `mtimes` m0..m3 and inodes i0..i3 stand for whatever this run's kernel gave. */
function history({
  dir,
  pids: [g0, x0, g0b],
  mtimes: [m0, m1, m2, m3],
  inodes: [i0, i1, i2, i3],
  t,
}: Run): StepLockedHistory {
  const storePath = `${dir}/sessions.json`;
  const snaps = [
    present(m0!, 40, i0!),
    present(m1!, 50, i1!),
    present(m2!, 60, i0!), // the kernel handed the first inode number out again
    present(m3!, 70, i2!),
    present(m3!, 75, i3!), // same-second edit: new content, the old mtime restored
    missing,
    present(m0! + 0.5 * (m1! - m0!), 20, i0!), // a new file on an old inode number again
  ];
  const record = (
    index: number,
    pid: number | null,
    end: StepRecord["end"],
    tripwires: unknown[] = [],
  ): StepRecord => ({
    index,
    step: steps.steps[index]!,
    pid,
    startedAt: t + index,
    endedAt: t + index + 0.5,
    end,
    windows: end.kind === "done" ? end.outcomes.map(() => ({ from: t + index + 0.1, to: t + index + 0.4 })) : [],
    versions: [],
    before: index === 0 ? snaps[0]! : snaps[index]!,
    after: snaps[index + 1] ?? snaps[index]!,
    tripwires,
  });
  const ok: StepRecord["end"] = { kind: "done", outcomes: [{ status: "ok" }] };
  const ns = (ms: number) => BigInt(Math.trunc(ms / 1000)) * 1_000_000_000n + BigInt(Math.round((ms % 1000) * 1e6));
  return {
    version: 1,
    mode: "step-locked",
    storePath,
    storeModule: "/project/dist/src/index.js",
    capabilities: { checkpoints: "hook", knownLimitations: null },
    schedule: steps,
    initial: snaps[0]!,
    steps: [
      record(0, g0, ok),
      record(1, x0, { kind: "done", outcomes: [{ status: "ok", value: { bytes: 60 } }] }),
      record(2, g0, ok, [
        {
          schemaVersion: 1,
          type: "session_store_cache_invalidated",
          reason: "stat_mismatch",
          storePath,
          expectedMtime: m1,
          expectedSize: 50,
          observedMtime: m2,
          observedSize: 60,
        },
      ]),
      record(3, x0, {
        kind: "done",
        outcomes: [{ status: "ok", value: { bytes: 75, previousMtimeNs: ns(m3!).toString() } }],
      }),
      { ...record(4, g0, { kind: "restarted", killedPid: g0, killedWhilePaused: true }), after: snaps[4]! },
      {
        ...record(5, x0, { kind: "done", outcomes: [{ status: "ok", value: { how: "rename-away" } }] }),
        before: snaps[4]!,
        after: snaps[5]!,
      },
      {
        ...record(
          6,
          g0b,
          {
            kind: "done",
            outcomes: [
              {
                status: "error",
                error: {
                  name: "Error",
                  message: `EACCES: rename '${storePath}.${g0b}.0a1b2c3d4e5f.tmp' -> '${storePath}' in ${dir}`,
                },
              },
            ],
          },
          [
            {
              schemaVersion: 1,
              type: "session_store_cache_invalidated",
              reason: "missing_file",
              storePath,
              expectedMtime: m3,
              expectedSize: 75,
              observedMtime: null,
              observedSize: null,
            },
          ],
        ),
        before: snaps[5]!,
        after: snaps[6]!,
      },
    ],
    leftovers: [
      `sessions.json.${g0}.ff00ff00ff00.tmp`,
      "sessions.json.external.9a9b9c9d.tmp",
      "sessions.json.moved-5",
    ].sort(),
    unattributedTripwires: [],
  };
}

const first: Run = {
  dir: "/tmp/drift-run--4242-AbCdEf",
  pids: [101, 202, 303],
  mtimes: [1_795_000_000_100.25, 1_795_000_000_200.5, 1_795_000_000_300.75, 1_795_000_000_400.125],
  inodes: [7, 9, 11, 13],
  t: 3,
};
const second: Run = {
  dir: "/tmp/drift-run--5151-XyZ123",
  pids: [90_001, 80_002, 70_003],
  mtimes: [1_796_000_000_010.5, 1_796_000_000_020.25, 1_796_000_000_030.125, 1_796_000_000_040.5],
  inodes: [70, 50, 60, 40],
  t: 17,
};

describe("normalizeHistory", () => {
  it("replaces times, pids, paths, temp names, mtimes and inodes with stable labels", () => {
    const normalized = normalizeHistory(history(first));
    expect(normalized.storePath).toBe("<store>");
    expect(normalized.storeModule).toBe("/project/dist/src/index.js");
    expect(normalized.schedule).toBe(steps);
    expect(normalized.initial.stat).toEqual({ kind: "present", mtimeMs: "m0", size: 40, ino: "i0" });
    expect(normalized.steps.map((record) => record.pid)).toEqual([
      "pid:g0",
      "pid:x0",
      "pid:g0",
      "pid:x0",
      "pid:g0",
      "pid:x0",
      "pid:g0#1",
    ]);
    expect(normalized.steps.map((record) => [record.before.stat, record.after.stat])).toEqual([
      [
        { kind: "present", mtimeMs: "m0", size: 40, ino: "i0" },
        { kind: "present", mtimeMs: "m1", size: 50, ino: "i1" },
      ],
      [
        { kind: "present", mtimeMs: "m1", size: 50, ino: "i1" },
        { kind: "present", mtimeMs: "m2", size: 60, ino: "i2" },
      ],
      [
        { kind: "present", mtimeMs: "m2", size: 60, ino: "i2" },
        { kind: "present", mtimeMs: "m3", size: 70, ino: "i3" },
      ],
      [
        { kind: "present", mtimeMs: "m3", size: 70, ino: "i3" },
        { kind: "present", mtimeMs: "m3", size: 75, ino: "i4" },
      ],
      [
        { kind: "present", mtimeMs: "m3", size: 75, ino: "i4" },
        { kind: "present", mtimeMs: "m3", size: 75, ino: "i4" },
      ],
      [{ kind: "present", mtimeMs: "m3", size: 75, ino: "i4" }, { kind: "missing" }],
      [{ kind: "missing" }, { kind: "present", mtimeMs: "m4", size: 20, ino: "i5" }],
    ]);
    expect(normalized.steps[2]!.tripwires).toEqual([
      {
        schemaVersion: 1,
        type: "session_store_cache_invalidated",
        reason: "stat_mismatch",
        storePath: "<store>",
        expectedMtime: "m1",
        expectedSize: 50,
        observedMtime: "m2",
        observedSize: 60,
      },
    ]);
    expect(normalized.steps[3]!.end).toEqual({
      kind: "done",
      outcomes: [{ status: "ok", value: { bytes: 75, previousMtimeNs: "m3" } }],
    });
    expect(normalized.steps[4]!.end).toEqual({ kind: "restarted", killedPid: "pid:g0", killedWhilePaused: true });
    expect(normalized.steps[6]!.end).toEqual({
      kind: "done",
      outcomes: [
        {
          status: "error",
          error: { name: "Error", message: "EACCES: rename '<store>.<pid:g0#1>.<rand>.tmp' -> '<store>' in <dir>" },
        },
      ],
    });
    expect(normalized.steps[6]!.tripwires).toEqual([
      {
        schemaVersion: 1,
        type: "session_store_cache_invalidated",
        reason: "missing_file",
        storePath: "<store>",
        expectedMtime: "m3",
        expectedSize: 75,
        observedMtime: null,
        observedSize: null,
      },
    ]);
    expect(normalized.leftovers).toEqual([
      "sessions.json.<pid:g0>.<rand>.tmp",
      "sessions.json.external.<rand>.tmp",
      "sessions.json.moved-5",
    ]);
    for (const record of normalized.steps) {
      expect(record).not.toHaveProperty("startedAt");
      expect(record).not.toHaveProperty("endedAt");
      expect(record).not.toHaveProperty("windows");
    }
  });

  it("two runs that differ only in run-specific values normalize equal", () => {
    expect(history(second)).not.toEqual(history(first));
    expect(normalizeHistory(history(second))).toEqual(normalizeHistory(history(first)));
    expect(JSON.stringify(normalizeHistory(history(second)))).toBe(JSON.stringify(normalizeHistory(history(first))));
  });

  it("keeps equal/unequal relationships: a run where two mtimes coincide normalizes differently", () => {
    const [m0, m1, , m3] = first.mtimes;
    const collided = normalizeHistory(history({ ...first, mtimes: [m0!, m1!, m1!, m3!] }));
    expect(collided.steps[1]!.after.stat).toMatchObject({ mtimeMs: "m1" });
    expect(collided).not.toEqual(normalizeHistory(history(first)));
  });

  it("mtimeMsFromNs computes mtimeMs exactly as fs.Stats does", () => {
    expect(mtimeMsFromNs(1_795_587_063_826_461_234n)).toBe(1_795_587_063 * 1000 + 826_461_234 / 1e6);
    expect(mtimeMsFromNs(1_790_000_000_000_000_000n)).toBe(1_790_000_000_000);
  });
});
