import { describe, expect, it } from "vitest";
import { allTripwires, entry, run, statOf, storeOf, usePool } from "./helpers.js";

/** `read` is `loadSessionStore`: from the writer cache while its stat matches, or from disk. */
const pool = usePool();

describe("gateway read", () => {
  it("after a same-size same-second edit, a cached read is stale and a skipCache read sees the disk", async () => {
    const history = await run(
      {
        options: { gateways: 2, externals: 1, initial: { a: { note: "a" }, b: { note: "bbbbbbbbbbbb" } } },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          {
            actor: "x0",
            op: "same-second-edit",
            sameSize: true,
            changes: [{ kind: "set", key: "b", set: { note: "edited" } }],
          },
          { actor: "g0", op: "read", skipCache: false },
          { actor: "g0", op: "read", skipCache: true },
          { actor: "g1", op: "read", skipCache: false },
        ],
      },
      pool(),
    );
    const [write, edit, cached, fresh, other] = history.steps;
    const written = { a: entry("a", 0, { note: "A" }), b: entry("b", 0, { note: "bbbbbbbbbbbb" }) };
    const onDisk = { a: entry("a", 0, { note: "A" }), b: entry("b", 1, { note: "edited" }) };
    expect(storeOf(write!.after)).toEqual(written);

    // The edit is invisible to a stat: same mtime to the nanosecond's millisecond image, same size.
    expect(statOf(edit!.after).mtimeMs).toBe(statOf(write!.after).mtimeMs);
    expect(statOf(edit!.after).size).toBe(statOf(write!.after).size);
    expect(edit!.after.hash).not.toBe(write!.after.hash);
    expect(storeOf(edit!.after)).toEqual(onDisk);

    expect(cached!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: written }] });
    expect(fresh!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: onDisk }] });
    // A gateway with no cache entry reads the disk whatever skipCache says.
    expect(other!.end).toEqual({ kind: "done", outcomes: [{ status: "ok", value: onDisk }] });
    // Readers never emit, and they do not change the file.
    expect(allTripwires(history)).toEqual([]);
    expect(other!.after).toEqual(edit!.after);
  });

  it("a cached read follows a visible external change (the stat differs)", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "A" } },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "B" } }] },
          { actor: "g0", op: "read", skipCache: false },
        ],
      },
      pool(),
    );
    expect(history.steps[2]!.end).toEqual({
      kind: "done",
      outcomes: [{ status: "ok", value: { a: entry("a", 0, { note: "A" }), b: entry("b", 1, { note: "B" }) } }],
    });
    expect(allTripwires(history)).toEqual([]);
  });
});
