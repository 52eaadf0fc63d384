import { describe, expect, it } from "vitest";
import { SessionStoreCacheInvalidatedSchema } from "../../src/tripwire/payload.js";
import { allTripwires, entry, run, statMismatch, statOf, storeOf, usePool } from "./helpers.js";

/** The two examples of the issue, exactly. */
const pool = usePool();

describe("the issue's examples", () => {
  it("(a) external write, then merge: one payload, expected* from the gateway's last write, observed* from the stat before the merge", async () => {
    const history = await run(
      {
        options: { gateways: 2, externals: 1, initial: { a: { note: "a" } } },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "g1", op: "merge", key: "b", set: { note: "from g1" } },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "c", set: { note: "outside" } }] },
          { actor: "g0", op: "merge", key: "a", set: { note: "AA" } },
        ],
      },
      pool(),
    );
    const [g0Write, , , merge] = history.steps;
    const payloads = allTripwires(history);
    expect(payloads).toHaveLength(1);
    expect(payloads[0]!.index).toBe(3);
    expect(payloads[0]!.payload).toEqual(
      statMismatch(history.storePath, statOf(g0Write!.after), statOf(merge!.before)),
    );
    expect(SessionStoreCacheInvalidatedSchema.parse(payloads[0]!.payload)).toEqual(payloads[0]!.payload);
    // The reload keeps everyone's changes.
    expect(storeOf(merge!.after)).toEqual({
      a: entry("a", 3, { note: "AA" }),
      b: entry("b", 1, { note: "from g1" }),
      c: entry("c", 2, { note: "outside" }),
    });
  });

  for (const checkpoint of ["before-rename", "after-load"] as const) {
    it(`(b) a merge held at ${checkpoint}, an external write, resume: the external change is overwritten, unsignalled`, async () => {
      const history = await run(
        {
          options: { gateways: 1, externals: 1 },
          steps: [
            { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
            { actor: "g0", op: "merge", key: "a", set: { note: "held" }, pause: checkpoint },
            { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "outside" } }] },
            { actor: "g0", op: "resume" },
            { actor: "g0", op: "merge", key: "c", set: { note: "C" } },
          ],
        },
        pool(),
      );
      const [, held, external, resume, next] = history.steps;
      expect(held!.end).toEqual({ kind: "paused", checkpoint });
      expect(storeOf(external!.after).b).toEqual(entry("b", 2, { note: "outside" }));
      expect(resume!.end).toEqual({ kind: "done", outcomes: [{ status: "ok" }] });
      expect(storeOf(resume!.after)).toEqual({ a: entry("a", 1, { note: "held" }) });
      // The resumed writer recorded its own write: the next merge trusts it and b stays lost.
      expect(storeOf(next!.after)).toEqual({ a: entry("a", 1, { note: "held" }), c: entry("c", 4, { note: "C" }) });
      expect(allTripwires(history)).toEqual([]);
    });
  }
});
