import { describe, expect, it } from "vitest";
import { dotPathCall, pathSegment } from "../../adapters/npm-package/dot-path.js";

describe("the one dot-path call a user makes for a change", () => {
  const before = { a: { sessionId: "sid-a", updatedAt: 1, note: "n1" }, b: { sessionId: "sid-b", updatedAt: 2 } };

  it("changed fields of an entry: one set of their paths", () => {
    expect(dotPathCall(before, { ...before, a: { ...before.a, note: "n2", updatedAt: 3 } })).toEqual({
      kind: "set",
      values: { "a.note": "n2", "a.updatedAt": 3 },
    });
  });

  it("a new entry, or one with a field taken away: set the entry", () => {
    expect(dotPathCall(before, { ...before, c: { sessionId: "sid-c", updatedAt: 4 } })).toEqual({
      kind: "set",
      values: { c: { sessionId: "sid-c", updatedAt: 4 } },
    });
    expect(dotPathCall(before, { ...before, a: { sessionId: "sid-a", updatedAt: 5 } })).toEqual({
      kind: "set",
      values: { a: { sessionId: "sid-a", updatedAt: 5 } },
    });
  });

  it("a removed entry: delete it; no change: the whole store", () => {
    expect(dotPathCall(before, { a: before.a })).toEqual({ kind: "delete", path: "b" });
    expect(dotPathCall(before, structuredClone(before))).toEqual({ kind: "whole" });
  });

  it("a key with a dot is one segment", () => {
    expect(pathSegment("agent:main:x.y")).toBe("agent:main:x\\.y");
    expect(dotPathCall({}, { "a.b": { sessionId: "s", updatedAt: 1 } })).toEqual({
      kind: "set",
      values: { "a\\.b": { sessionId: "s", updatedAt: 1 } },
    });
  });
});
