import { describe, expect, it } from "vitest";
import { checkHistory } from "../../properties/checks/check-history.js";
import { tripwireTiming } from "../../properties/tripwire-timing.property.js";
import { fixtureModule, run, statMismatch, statOf, usePool } from "./helpers.js";

/** A payload that reaches the parent after its step's reply is still in the history. */
const pool = usePool({ storeModule: fixtureModule("late-tripwire-store.mjs") });

describe("tripwires that arrive after their step's reply", () => {
  it("go to the step whose writer emitted them; one no step caused is an unattributed-tripwire violation", async () => {
    const history = await run(
      {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: {} },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: {} }] },
          { actor: "g0", op: "merge", key: "c", set: {} },
          // The reply to this read comes after the late payload: the channel keeps order.
          { actor: "g0", op: "read", skipCache: false },
        ],
      },
      pool(),
    );
    const [first, external, merge, read] = history.steps;
    expect(merge!.tripwires).toEqual([statMismatch(history.storePath, statOf(first!.after), statOf(external!.after))]);
    expect(read!.tripwires).toEqual([]);
    expect(history.unattributedTripwires).toEqual([{ actor: "g0", pid: first!.pid, payload: { stray: true } }]);

    const { violations } = checkHistory(history, {
      property: tripwireTiming.id,
      check: tripwireTiming.check,
      closed: new Set(),
    });
    expect(violations).toEqual([
      {
        step: -1,
        actor: "g0",
        check: "unattributed-tripwire",
        message: expect.stringContaining("unattributed tripwire"),
      },
    ]);
  });
});
