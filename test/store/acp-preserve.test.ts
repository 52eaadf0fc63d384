import { describe, expect, it } from "vitest";
import { preserveFromLoadedStore, restoreAcp, snapshotAcp } from "../../src/acp-preserve.js";
import type { Store } from "../../src/types.js";
import { entry } from "./helpers.js";

const bound = { backend: "acpx", agent: "codex", state: "bound" };
const NONE: ReadonlySet<string> = new Set();

function loaded(): Store {
  return {
    a: entry("a", { acp: { ...bound } }),
    b: entry("b", { acp: { backend: "acpx", agent: "claude", state: "bound" } }),
    plain: entry("plain"),
  };
}

describe("ACP snapshot and restore", () => {
  it("snapshots only entries that carry acp, as deep copies", () => {
    const store = loaded();
    const snapshot = snapshotAcp(store);
    expect([...snapshot.keys()]).toEqual(["a", "b"]);
    expect(snapshot.get("a")).toEqual(bound);
    store.a!.acp!.state = "mutated";
    expect(snapshot.get("a")).toEqual(bound);
  });

  it("restores acp onto entries the mutator stripped, even a wholly replaced entry", () => {
    const store = loaded();
    const snapshot = snapshotAcp(store);
    delete store.a!.acp;
    store.b = entry("b", { updatedAt: 2 });
    restoreAcp(store, snapshot, NONE);
    expect(store).toEqual({
      a: entry("a", { acp: bound }),
      b: entry("b", { updatedAt: 2, acp: { backend: "acpx", agent: "claude", state: "bound" } }),
      plain: entry("plain"),
    });
  });

  it("does not bring back deleted entries", () => {
    const store = loaded();
    const snapshot = snapshotAcp(store);
    delete store.a;
    restoreAcp(store, snapshot, NONE);
    expect(Object.keys(store)).toEqual(["b", "plain"]);
  });

  it("lets keys in allowDrop lose their acp", () => {
    const store = loaded();
    const snapshot = snapshotAcp(store);
    delete store.a!.acp;
    delete store.b!.acp;
    restoreAcp(store, snapshot, new Set(["a"]));
    expect(store.a).toEqual(entry("a"));
    expect(store.b!.acp).toEqual({ backend: "acpx", agent: "claude", state: "bound" });
  });

  it("keeps an acp the mutator changed", () => {
    const store = loaded();
    const snapshot = snapshotAcp(store);
    store.a!.acp = { backend: "acpx", agent: "codex", state: "unbound" };
    restoreAcp(store, snapshot, NONE);
    expect(store.a!.acp).toEqual({ backend: "acpx", agent: "codex", state: "unbound" });
  });

  it("gives each restored entry its own copy of the snapshot", () => {
    const store = loaded();
    const snapshot = snapshotAcp(store);
    delete store.a!.acp;
    restoreAcp(store, snapshot, NONE);
    store.a!.acp!.state = "changed later";
    expect(snapshot.get("a")).toEqual(bound);
  });

  it("preserveFromLoadedStore snapshots the store it is given, not the stale cache", () => {
    const stale: Store = { a: entry("a", { acp: { state: "stale" } }), gone: entry("gone", { acp: { state: "old" } }) };
    const load = {
      kind: "invalidated",
      reason: "missing_file",
      expected: { mtimeMs: 1, size: 2 },
      observed: null,
      stale: { store: stale, stat: { kind: "present", mtimeMs: 1, size: 2, ino: 3 }, text: "{}\n" },
    } as const;
    const snapshot = preserveFromLoadedStore.snapshot(loaded(), load);
    expect(Object.fromEntries(snapshot)).toEqual({ a: bound, b: { backend: "acpx", agent: "claude", state: "bound" } });
    expect(preserveFromLoadedStore.restore).toBe(restoreAcp);
  });
});
