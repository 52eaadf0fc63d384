import { describe, expect, it } from "vitest";
import type { BaseVersion, FreeRunningHistory, OperationRecord } from "../../harness/history/types.js";
import type { Step } from "../../harness/schedule/schema.js";
import { checkHistory } from "../../properties/checks/check-history.js";
import { checkVersions } from "../../properties/checks/versions/oracle.js";

/**
 * The version oracle on hand-built free-running histories: fast and deterministic. Each
 * operation names the version it was based on and the one it produced (with its changes from
 * that base), as the actors record them.
 */
type Versions = {
  base: BaseVersion;
  hash: string;
  at: [number, number];
  changes: Record<string, unknown>;
  recheckedAt?: number;
};

const entry = (key: string, fields: Record<string, unknown> = { note: "n" }) => ({
  sessionId: `sid-${key}`,
  updatedAt: 1,
  ...fields,
});
const read = (hash: string, at: number): BaseVersion => ({ kind: "read", hash, at });
const cached = (hash: string, at: number, sameStat: boolean): BaseVersion => ({
  kind: "cached",
  hash,
  at,
  statAtLoad: { mtimeMs: 5, size: 10 },
  knownStat: { mtimeMs: sameStat ? 5 : 4, size: 10 },
});

function op(
  actor: string,
  pid: number,
  step: { op: string } & Record<string, unknown>,
  window: [number, number],
  versions: Versions,
): OperationRecord {
  return {
    index: 0,
    step: { actor, ...step } as unknown as Step,
    pid,
    startedAt: window[0],
    endedAt: window[1],
    end: { kind: "done", outcomes: [{ status: "ok" }] },
    windows: [{ from: window[0], to: window[1] }],
    versions: [
      {
        base: versions.base,
        produced: {
          hash: versions.hash,
          at: { from: versions.at[0], to: versions.at[1] },
          content: { kind: "json", changes: versions.changes },
        },
        ...(versions.recheckedAt !== undefined ? { recheckedAt: versions.recheckedAt } : {}),
      },
    ],
    tripwires: [],
  };
}
const merge = (actor: string, pid: number, key: string, window: [number, number], versions: Versions) =>
  op(actor, pid, { op: "merge", key, set: { note: "n" } }, window, versions);
const write = (actor: string, pid: number, key: string, window: [number, number], versions: Versions) =>
  op(actor, pid, { op: "write", changes: [{ kind: "set", key, set: { note: "n" } }] }, window, versions);

/** The file at the end: the last version renamed in, read back through its bases. */
function finalOf(ops: OperationRecord[]): FreeRunningHistory["final"] {
  const contents = new Map<string, Record<string, unknown>>([["missing", {}]]);
  const sorted = ops
    .flatMap((record) => record.versions.flatMap((v) => (v?.produced ? [v] : [])))
    .sort((a, b) => a.produced!.at.to - b.produced!.at.to);
  for (const v of sorted) {
    const base = v.base.kind === "unknown" ? {} : (contents.get(v.base.hash) ?? {});
    const changes = v.produced!.content.kind === "json" ? v.produced!.content.changes : {};
    const store: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(changes)) value === null ? delete store[key] : (store[key] = value);
    contents.set(v.produced!.hash, store);
  }
  const last = sorted.at(-1);
  if (!last) return { stat: { kind: "missing" }, hash: null, content: { kind: "missing" } };
  return {
    stat: { kind: "present", mtimeMs: 1, size: 2, ino: 3 },
    hash: last.produced!.hash,
    content: { kind: "json", store: contents.get(last.produced!.hash)! },
  };
}

function history(ops: OperationRecord[], knownLimitations: string[] | null = null): FreeRunningHistory {
  return {
    version: 1,
    mode: "free-running",
    storePath: "/tmp/x/sessions.json",
    storeModule: "/tmp/store.js",
    capabilities: { checkpoints: "hook", knownLimitations },
    run: { seconds: 1, gateways: 2, externals: 1, seed: 1 },
    steps: ops.map((record, index) => ({ ...record, index })),
    samples: [],
    final: finalOf(ops),
    leftovers: [],
    unattributedTripwires: [],
  };
}

const checks = (h: FreeRunningHistory) => checkHistory(h).violations.map((v) => v.check);

describe("the version oracle", () => {
  // g0 writes a; g0's second writer (same process, no queue) read the version before it and drops it.
  const inProcess = [
    merge("g0", 1, "a", [0, 10], { base: read("missing", 1), hash: "h1", at: [8, 9], changes: { a: entry("a") } }),
    merge("g0", 1, "b", [2, 20], { base: read("missing", 3), hash: "h2", at: [18, 19], changes: { b: entry("b") } }),
  ];

  it("finds a write dropped by a writer of the same process, and names the write, the version and its stale base", () => {
    const report = checkVersions(history(inProcess));
    expect(report.violations).toHaveLength(1);
    const [v] = report.violations;
    expect(v).toMatchObject({
      step: 0,
      actor: "g0",
      check: "lost-write",
      lostWrite: { property: "no-lost-update", droppedAt: 1, version: "h2", base: "missing" },
    });
    // Same process: no declared limitation allows it.
    expect(report.losses[0]!.allowed).toBeNull();
  });

  it("allows an external's stale base, and shows it", () => {
    const h = history([
      merge("g0", 1, "a", [0, 10], { base: read("missing", 1), hash: "h1", at: [8, 9], changes: { a: entry("a") } }),
      write("x0", 2, "x", [2, 20], { base: read("missing", 3), hash: "h2", at: [18, 19], changes: { x: entry("x") } }),
    ]);
    expect(checks(h)).toEqual([]);
    expect(checkHistory(h).freeRunning.explainedLosses["external-stale-base"]).toBe(1);
  });

  // x0's write lands between g1's load and its rename.
  const midFlight = [
    write("x0", 2, "x", [4, 6], { base: read("h0", 4), hash: "h1", at: [5, 6], changes: { x: entry("x") } }),
    merge("g1", 3, "b", [0, 20], { base: read("h0", 1), hash: "h2", at: [18, 19], changes: { b: entry("b") } }),
  ];

  it("allows a gateway window that contained the lost write only where the store declares mid-flight-drift", () => {
    expect(checks(history(midFlight))).toEqual([]);
    expect(checkHistory(history(midFlight)).freeRunning.lostExternalWrites["mid-flight-drift"]).toBe(1);
    expect(checks(history(midFlight, ["coarse-mtime"]))).toEqual(["lost-write"]);
  });

  it("allows what landed after a writer's last re-check of the file, even on a store that closed mid-flight-drift", () => {
    const rechecked = [
      midFlight[0]!,
      merge("g1", 3, "b", [0, 20], {
        base: read("h0", 1),
        hash: "h2",
        at: [18, 19],
        changes: { b: entry("b") },
        recheckedAt: 4.5,
      }),
    ];
    expect(checks(history(rechecked, []))).toEqual([]);
    expect(checkHistory(history(rechecked, [])).freeRunning.lostExternalWrites["after-last-check"]).toBe(1);
  });

  it("allows a cache trusted on the same stat only where the store declares coarse-mtime", () => {
    // g1's cache is h0; x0's same-size edit lands; g1 loads later, trusts the cache, drops it.
    const ops = (sameStat: boolean) => [
      write("x0", 2, "x", [1, 3], { base: read("h0", 1), hash: "h1", at: [2, 3], changes: { x: entry("x") } }),
      merge("g1", 3, "b", [10, 20], {
        base: cached("h0", 11, sameStat),
        hash: "h2",
        at: [18, 19],
        changes: { b: entry("b") },
      }),
    ];
    expect(checks(history(ops(true)))).toEqual([]);
    expect(checkHistory(history(ops(true))).freeRunning.lostExternalWrites["coarse-mtime"]).toBe(1);
    expect(checks(history(ops(true), ["mid-flight-drift"]))).toEqual(["lost-write"]);
    // The stat had changed: the cache should have been dropped, whatever the store declares.
    expect(checks(history(ops(false)))).toEqual(["lost-write"]);
  });

  it("a later operation on the key replaces the effect: nothing is lost", () => {
    const h = history([
      merge("g0", 1, "a", [0, 10], { base: read("missing", 1), hash: "h1", at: [8, 9], changes: { a: entry("a") } }),
      op("g1", 3, { op: "delete-entry", key: "a" }, [12, 20], {
        base: read("h1", 13),
        hash: "h2",
        at: [18, 19],
        changes: { a: null },
      }),
    ]);
    expect(checks(h)).toEqual([]);
  });

  it("a lost ACP binding breaks acp-survives, not no-lost-update", () => {
    const acp = { backend: "acpx", agent: "codex", state: "bound" };
    const h = history([
      op("g0", 1, { op: "acp-bind", key: "a", acp }, [0, 10], {
        base: read("h0", 1),
        hash: "h1",
        at: [8, 9],
        changes: { a: { ...entry("a"), acp } },
      }),
      merge("g0", 1, "a", [12, 20], {
        base: read("h1", 13),
        hash: "h2",
        at: [18, 19],
        changes: { a: entry("a", { note: "m" }) },
      }),
    ]);
    const [v] = checkVersions(h).violations;
    expect(v).toMatchObject({ check: "lost-write", lostWrite: { property: "acp-survives", droppedAt: 1 } });
  });

  // Found by stress on our store: g0's rename of h0 overlaps g1's of h1 and lands after it (g0's next
  // writer reuses h0 from its cache, so h0 was the file then). g1 then reads h2, written from h0,
  // and renames h3 before h2's rename window ends. The loss of k1 is g0's, inside its window.
  const overlapping = () => {
    const same = (hash: string, at: number): BaseVersion => ({
      kind: "cached",
      hash,
      at,
      statAtLoad: { mtimeMs: 5, size: 10 },
      knownStat: { mtimeMs: 5, size: 10 },
    });
    const ops = [
      write("x0", 9, "e", [0, 3], { base: read("missing", 1), hash: "e0", at: [1, 2], changes: { e: entry("e") } }),
      merge("g1", 2, "k1", [9, 13], { base: same("e0", 9.2), hash: "h1", at: [10, 12], changes: { k1: entry("k1") } }),
      merge("g0", 1, "k0", [9, 17], {
        base: read("e0", 9.5),
        hash: "h0",
        at: [10.5, 16],
        changes: { k0: entry("k0") },
      }),
      merge("g0", 1, "k2", [17, 21], {
        base: same("h0", 17),
        hash: "h2",
        at: [18, 20.5],
        changes: { k2: entry("k2") },
      }),
      merge("g1", 2, "k3", [18, 21], {
        base: read("h2", 19),
        hash: "h3",
        at: [19.5, 20.2],
        changes: { k3: entry("k3") },
      }),
    ];
    const h = history(ops, []);
    const store = Object.fromEntries(["e", "k0", "k2", "k3"].map((key) => [key, entry(key)]));
    return { ...h, final: { ...h.final, hash: "h3", content: { kind: "json" as const, store } } };
  };

  it("orders two overlapping renames by their bases: a version read from another landed after it", () => {
    const report = checkVersions(overlapping());
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]).toMatchObject({ step: 1, lostWrite: { droppedAt: 2, version: "h0" } });
    expect(report.violations[0]!.message).toContain("inside its window");
    const declaredDrift = {
      ...overlapping(),
      capabilities: { checkpoints: "hook" as const, knownLimitations: ["mid-flight-drift"] },
    };
    expect(checkVersions(declaredDrift)).toMatchObject({ violations: [], allowed: { "mid-flight-drift": 1 } });
  });

  it("a history recorded before writes carried versions gives no verdict", () => {
    const h = history(inProcess.map((record) => ({ ...record, versions: [] })));
    expect(checkVersions(h)).toMatchObject({ checked: 0, violations: [] });
  });
});
