import { describe, expect, it } from "vitest";
import type { ExternalChange } from "../../harness/schedule/schema.js";
import { ACP, allTripwires, entry, missingFile, run, statMismatch, statOf, storeOf, usePool } from "./helpers.js";

/** Each external operation, and what the next gateway writer makes of it. */
const pool = usePool();

const setB: ExternalChange[] = [{ kind: "set", key: "b", set: { note: "outside" } }];

describe("external operations", () => {
  it("write: parses, applies every change, renames a new file in (new inode)", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1, initial: { a: { note: "a" } } },
        steps: [
          {
            actor: "x0",
            op: "write",
            changes: [
              { kind: "set", key: "b", set: { note: "b" } },
              { kind: "remove", key: "a" },
              { kind: "bind-acp", key: "c", acp: ACP },
            ],
          },
        ],
      },
      pool(),
    );
    const step = history.steps[0]!;
    expect(storeOf(step.after)).toEqual({ b: entry("b", 0, { note: "b" }), c: entry("c", 0, { acp: ACP }) });
    expect(step.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: { bytes: statOf(step.after).size } }] });
    expect(statOf(step.after).ino).not.toBe(statOf(step.before).ino);
    expect(step.tripwires).toEqual([]);
    expect(history.leftovers).toEqual([]);
  });

  for (const how of ["unlink", "rename-away"] as const) {
    it(`delete-file (${how}): the next merge reports missing_file with null observed fields`, async () => {
      const history = await run(
        {
          options: { gateways: 1, externals: 1 },
          steps: [
            { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
            { actor: "x0", op: "delete-file", how },
            { actor: "g0", op: "merge", key: "b", set: { note: "B" } },
          ],
        },
        pool(),
      );
      const [write, remove, next] = history.steps;
      expect(remove!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: { how } }] });
      expect(remove!.after).toEqual({ stat: { kind: "missing" }, hash: null, content: { kind: "missing" } });
      expect(next!.tripwires).toEqual([missingFile(history.storePath, statOf(write!.after))]);
      // A missing file reads as {}: the store starts again from the merge alone.
      expect(storeOf(next!.after)).toEqual({ b: entry("b", 2, { note: "B" }) });
      expect(allTripwires(history)).toHaveLength(1);
      expect(history.leftovers).toEqual(how === "unlink" ? [] : ["sessions.json.moved-1"]);
    });
  }

  it("same-second-edit with sameSize: the stat does not change, no tripwire, and the edit is lost", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1, initial: { a: { note: "a" }, b: { note: "bbbbbbbbbbbb" } } },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          {
            actor: "x0",
            op: "same-second-edit",
            sameSize: true,
            changes: [{ kind: "set", key: "b", set: { note: "edited" } }],
          },
          { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
        ],
      },
      pool(),
    );
    const [write, edit, next] = history.steps;
    expect(statOf(edit!.after).mtimeMs).toBe(statOf(write!.after).mtimeMs);
    expect(statOf(edit!.after).size).toBe(statOf(write!.after).size);
    expect(storeOf(edit!.after).b).toEqual(entry("b", 1, { note: "edited" }));
    const outcome = edit!.end.kind === "done" ? edit!.end.outcomes[0] : undefined;
    expect(outcome).toMatchObject({ status: "ok", value: { bytes: statOf(write!.after).size } });
    expect(next!.tripwires).toEqual([]);
    expect(storeOf(next!.after)).toEqual({
      a: entry("a", 2, { note: "AA" }),
      b: entry("b", 0, { note: "bbbbbbbbbbbb" }),
    });
  });

  it("same-second-edit without sameSize: stat_mismatch whose observedMtime equals expectedMtime", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1, initial: { a: { note: "a" } } },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "x0", op: "same-second-edit", sameSize: false, changes: setB },
          { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
        ],
      },
      pool(),
    );
    const [write, edit, next] = history.steps;
    const expected = statOf(write!.after);
    const observed = statOf(edit!.after);
    expect(observed.mtimeMs).toBe(expected.mtimeMs);
    expect(observed.size).not.toBe(expected.size);
    expect(next!.tripwires).toEqual([statMismatch(history.storePath, expected, observed)]);
    const payload = next!.tripwires[0] as { observedMtime: number; expectedMtime: number };
    expect(payload.observedMtime).toBe(payload.expectedMtime);
    expect(storeOf(next!.after)).toEqual({ a: entry("a", 2, { note: "AA" }), b: entry("b", 1, { note: "outside" }) });
  });

  it("rewrite-in-place: same inode in the history, and the next merge sees the stat change", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "x0", op: "rewrite-in-place", changes: setB },
          { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
        ],
      },
      pool(),
    );
    const [write, rewrite, next] = history.steps;
    expect(statOf(rewrite!.after).ino).toBe(statOf(write!.after).ino);
    expect(rewrite!.after.hash).not.toBe(write!.after.hash);
    expect(storeOf(rewrite!.after)).toEqual({ a: entry("a", 0, { note: "A" }), b: entry("b", 1, { note: "outside" }) });
    expect(next!.tripwires).toEqual([statMismatch(history.storePath, statOf(write!.after), statOf(rewrite!.after))]);
    expect(storeOf(next!.after)).toEqual({ a: entry("a", 2, { note: "AA" }), b: entry("b", 1, { note: "outside" }) });
  });

  for (const [kind, problem] of [
    ["invalid-json", /\(invalid JSON: .+\)/],
    ["empty", /\(the file is empty \(0 bytes\)\)/],
  ] as const) {
    it(`bad-edit (${kind}): every writer and reader rejects naming the file, the bytes stay as they are`, async () => {
      const history = await run(
        {
          options: { gateways: 2, externals: 1 },
          steps: [
            { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
            { actor: "x0", op: "bad-edit", kind },
            { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
            { actor: "g1", op: "merge", key: "b", set: { note: "B" } },
            { actor: "g0", op: "batch", ops: [{ op: "merge-noop" }, { op: "acp-bind", key: "a", acp: ACP }] },
            { actor: "g0", op: "delete-entry", key: "a" },
            { actor: "g1", op: "read", skipCache: true },
          ],
        },
        pool(),
      );
      const [write, edit, ...rest] = history.steps;
      expect(edit!.after.content.kind).toBe("unparseable");
      if (kind === "empty") expect(statOf(edit!.after).size).toBe(0);
      const message = new RegExp(
        `^session store ${history.storePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is unparseable ${problem.source}; it was left untouched`,
      );
      const outcomes = rest.flatMap((record) => (record.end.kind === "done" ? record.end.outcomes : []));
      expect(outcomes).toHaveLength(6);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe("error");
        if (outcome.status === "error") {
          expect(outcome.error.name).toBe("StoreParseError");
          expect(outcome.error.message).toMatch(message);
        }
      }
      for (const record of rest) expect(record.after).toEqual(edit!.after);
      // The first load on g0 still had its cache entry: one tripwire, then misses.
      expect(allTripwires(history)).toEqual([
        { index: 2, payload: statMismatch(history.storePath, statOf(write!.after), statOf(edit!.after)) },
      ]);
    });
  }
});
