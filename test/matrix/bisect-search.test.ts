import { describe, expect, it } from "vitest";
import { bisectReleases } from "../../matrix/bisect.js";
import type { ScenarioVerdict } from "../../matrix/scenario-verdict.js";

const ran = (result: "held" | "failed"): ScenarioVerdict => ({
  kind: "ran",
  properties: [
    { property: "no-lost-update", ...(result === "held" ? { result } : { result, violations: ["step 3 g0: stale"] }) },
  ] as never,
});
const versions = Array.from({ length: 40 }, (_, i) => `2026.1.${i}`);

/** A judge that counts its calls: the verdict changes at `change`, releases in `broken` cannot be run. */
function judge(change: number, broken: ReadonlySet<number> = new Set()) {
  const calls: string[] = [];
  const fn = async (version: string): Promise<ScenarioVerdict> => {
    calls.push(version);
    const i = versions.indexOf(version);
    if (broken.has(i)) return { kind: "absent", reason: "a layout the adapter does not know" };
    return ran(i < change ? "failed" : "held");
  };
  return { fn, calls };
}

describe("bisect over releases", () => {
  it("finds the first release with the other verdict in about log2(n) judgements", async () => {
    const { fn, calls } = judge(23);
    const result = await bisectReleases(versions, fn);
    expect(result).toMatchObject({ kind: "found", first: "2026.1.23", lastSame: "2026.1.22", skipped: [] });
    expect(calls.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(versions.length)));
  });

  it("skips releases it cannot run and names them when the change may be in them", async () => {
    const { fn } = judge(23, new Set([21, 22, 23]));
    const result = await bisectReleases(versions, fn);
    expect(result).toMatchObject({
      kind: "found",
      first: "2026.1.24",
      lastSame: "2026.1.20",
      skipped: ["2026.1.21", "2026.1.22", "2026.1.23"],
    });
  });

  it("says the verdict never changes when both ends agree, and refuses an unrunnable first release", async () => {
    expect((await bisectReleases(versions, judge(99).fn)).kind).toBe("never-changes");
    expect((await bisectReleases(versions, judge(5, new Set([0])).fn)).kind).toBe("baseline-absent");
  });
});
