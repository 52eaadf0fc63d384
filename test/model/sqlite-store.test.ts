import { describe, expect, it } from "vitest";
import type { FileSnapshot, StepLockedHistory, StepRecord } from "../../harness/history/types.js";
import type { Capabilities } from "../../harness/protocol.js";
import type { Step } from "../../harness/schedule/schema.js";
import { checkHistory } from "../../properties/checks/check-history.js";
import { noLostUpdate } from "../../properties/no-lost-update.property.js";

/**
 * The contract's clause for a store kept in a database, on hand-built histories: its content is
 * the store, not its bytes; a write may fail with the declared conflict error and must then
 * change nothing. The same histories on a JSON store are violations: the clause is the
 * store's declaration, never what the run did.
 */
const CONFLICT = "SQLite session entry changed before store projection";
const sqlite: Capabilities = {
  checkpoints: "fs",
  knownLimitations: [],
  tripwire: false,
  writerCache: false,
  serialization: "sqlite",
  conflictError: CONFLICT,
};
const json: Capabilities = { checkpoints: "fs", knownLimitations: [], tripwire: false, writerCache: false };

const missing: FileSnapshot = { stat: { kind: "missing" }, hash: null, content: { kind: "missing" } };
const db = (hash: string, store: Record<string, unknown>): FileSnapshot => ({
  stat: { kind: "present", mtimeMs: 1, size: 4096, ino: 1 },
  hash,
  content: { kind: "json", store },
});

function record(index: number, step: Step, end: StepRecord["end"], before: FileSnapshot, after: FileSnapshot) {
  return {
    index,
    step,
    pid: 1,
    startedAt: index,
    endedAt: index + 0.5,
    end,
    windows: [],
    versions: [],
    tripwires: [],
    before,
    after,
  } as StepRecord;
}

function history(capabilities: Capabilities, steps: StepRecord[]): StepLockedHistory {
  return {
    version: 1,
    mode: "step-locked",
    storePath: "/tmp/run/sessions.json",
    storeModule: "openclaw@2026.8.1",
    capabilities,
    leftovers: [],
    unattributedTripwires: [],
    schedule: {
      options: { gateways: 1, externals: 0, coarseClock: false, throwingEmitter: false, initial: null },
      steps: steps.map((r) => r.step),
    },
    initial: missing,
    steps,
  };
}

const checks = (h: StepLockedHistory) =>
  checkHistory(h, { property: noLostUpdate.id, check: noLostUpdate.check, closed: new Set() }).violations.map(
    (v) => `${v.check}: ${v.message}`,
  );

const entry = (key: string, stamp: number) => ({ sessionId: `sid-${key}`, updatedAt: stamp, note: "n1" });

describe("a store kept in a database", () => {
  // A read opens the database, which creates it: bytes where there were none, the empty store.
  const createdOnOpen = (capabilities: Capabilities) =>
    history(capabilities, [
      record(
        0,
        { actor: "g0", op: "read", skipCache: false },
        { kind: "done", outcomes: [{ status: "ok", value: {} }] },
        missing,
        db("e0", {}),
      ),
    ]);

  it("a database created on open holds the empty store: nothing was written", () => {
    expect(checks(createdOnOpen(sqlite))).toEqual([]);
    expect(checks(createdOnOpen(json)).join("\n")).toContain("unexpected-write");
  });

  it("a database whose store changed where nothing may write is still a write", () => {
    const h = history(sqlite, [
      record(
        0,
        { actor: "g0", op: "read", skipCache: false },
        { kind: "done", outcomes: [{ status: "ok", value: {} }] },
        missing,
        db("e1", { a: entry("a", 0) }),
      ),
    ]);
    expect(checks(h).join("\n")).toContain("unexpected-write: read: the store changed");
  });

  // Two merges of one key in one queue turn: the second fails with the conflict error.
  const batch: Step = {
    actor: "g0",
    op: "batch",
    ops: [
      { op: "merge", key: "a", set: { note: "n1" } },
      { op: "merge", key: "a", set: { note: "n2" } },
    ],
  };
  const conflicted = (capabilities: Capabilities, message: string, after: Record<string, unknown>) =>
    history(capabilities, [
      record(
        0,
        batch,
        { kind: "done", outcomes: [{ status: "ok" }, { status: "error", error: { name: "Error", message } }] },
        missing,
        db("e2", after),
      ),
    ]);

  it("a write that fails with the declared conflict error and changes nothing is allowed", () => {
    expect(checks(conflicted(sqlite, `${CONFLICT} for agent:main:a`, { a: entry("a", 0) }))).toEqual([]);
    expect(checks(conflicted(json, `${CONFLICT} for agent:main:a`, { a: entry("a", 0) })).join("\n")).toContain(
      "operation 1 failed",
    );
  });

  it("another error, or a conflicted write that changed the store anyway, is a violation", () => {
    expect(checks(conflicted(sqlite, "database is locked", { a: entry("a", 0) })).join("\n")).toContain(
      "not the store's conflict error",
    );
    const changedAnyway = { a: { ...entry("a", 1), note: "n2" } };
    expect(checks(conflicted(sqlite, `${CONFLICT} for agent:main:a`, changedAnyway)).join("\n")).toContain("content");
  });
});
