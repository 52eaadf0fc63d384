import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultStoreModule, distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { runSchedule } from "../../harness/schedule/runner.js";
import { ScheduleSchema, type Schedule } from "../../harness/schedule/schema.js";
import type { StepLockedHistory } from "../../harness/history/types.js";
import { checkHistory, type StepLockedCheck } from "../../properties/checks/check-history.js";
import { checkVersions } from "../../properties/checks/versions/oracle.js";
import { resolvePredictions } from "../../properties/checks/resolve.js";
import { noLostUpdate } from "../../properties/no-lost-update.property.js";
import { closedLimitations } from "../../properties/run/evaluate.js";
import { LIMITATION_IDS } from "../../src/types.js";
import { renderTimeline } from "../../properties/report/timeline.js";
import { renderHtmlReport } from "../../properties/report/html/render.js";

const variant = (name: string) => join(distDir, "variants", "by-name", `${name}.js`);
const hardened = join(distDir, "src", "hardened.js");
const claimsClosed = fileURLToPath(new URL("../fixtures/claims-closed-store.mjs", import.meta.url));

async function run(storeModule: string, schedule: Schedule): Promise<StepLockedHistory> {
  const pool = new ActorPool({ storeModule });
  try {
    return await runSchedule(schedule, pool);
  } finally {
    await pool.close();
  }
}

const noLostUpdateOn = (history: StepLockedHistory, extra: Partial<StepLockedCheck> = {}) =>
  checkHistory(history, {
    property: noLostUpdate.id,
    check: noLostUpdate.check,
    closed: closedLimitations(history.capabilities.knownLimitations, LIMITATION_IDS),
    ...extra,
  }).violations;

const checkIds = (violations: { check: string }[]) => [...new Set(violations.map((v) => v.check))].sort();

// g0 caches its write of a; x0 writes x behind its back; g0 writes b.
const behindTheCache = ScheduleSchema.parse({
  options: { gateways: 1, externals: 1, initial: null },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: "1" } },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "x", set: { note: "e" } }] },
    { actor: "g0", op: "merge", key: "b", set: { note: "2" } },
  ],
});

// x0's write lands between g0's load and its rename.
const midFlight = ScheduleSchema.parse({
  options: { gateways: 1, externals: 1, initial: { a: { note: "0" } } },
  steps: [
    { actor: "g0", op: "merge", key: "b", set: { note: "1" }, pause: "after-load" },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "x", set: { note: "e" } }] },
    { actor: "g0", op: "resume" },
  ],
});

/** Step-locked runs in real processes: the version oracle beside the model. */
describe("the version oracle on real runs", () => {
  it("unchecked-cache: the lost external write, dropped by g0's version written from its stale cache", {
    timeout: 60_000,
  }, async () => {
    const history = await run(variant("unchecked-cache"), behindTheCache);
    const lost = noLostUpdateOn(history).filter((v) => v.check === "lost-write");
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({
      step: 1,
      actor: "x0",
      lostWrite: { property: "no-lost-update", droppedAt: 2, version: history.steps[2]!.after.hash },
    });
    expect(history.steps[2]!.versions[0]!.base).toMatchObject({ kind: "cached", hash: history.steps[0]!.after.hash });
    // Both ends of the loss are drawn: the write that was lost, and the version that dropped it.
    const timeline = renderTimeline(history, lost);
    expect(timeline).toContain("lost write: write x by x0");
    expect(timeline).toContain(`dropped here: version ${history.steps[2]!.after.hash!.slice(0, 8)}`);
    const page = String(
      renderHtmlReport({ history, violations: lost, failedProperty: "no-lost-update", source: { file: "memory" } }),
    );
    expect(page).toContain('data-dropped-write="1"');
    // The same schedule on our store: the stat check sees the change, nothing is lost.
    expect(checkIds(noLostUpdateOn(await run(defaultStoreModule, behindTheCache)))).toEqual([]);
  });

  it("no-queue: a batch's second writer drops the first's merge, in one process", { timeout: 60_000 }, async () => {
    const batch = ScheduleSchema.parse({
      options: { gateways: 1, externals: 0, initial: null },
      steps: [
        {
          actor: "g0",
          op: "batch",
          ops: [
            { op: "merge", key: "a", set: { note: "1" } },
            { op: "merge", key: "b", set: { note: "2" } },
          ],
        },
      ],
    });
    const history = await run(variant("no-queue"), batch);
    const lost = noLostUpdateOn(history).filter((v) => v.check === "lost-write");
    expect(lost.map((v) => v.lostWrite!.droppedAt)).toEqual([0]);
    expect(checkVersions(history).losses[0]!.allowed).toBeNull();
  });

  it("an external's stale base is allowed and shown, not a violation", { timeout: 60_000 }, async () => {
    const deletion = ScheduleSchema.parse({
      options: { gateways: 1, externals: 1, initial: null },
      steps: [
        { actor: "g0", op: "merge", key: "a", set: { note: "1" } },
        { actor: "x0", op: "delete-file", how: "unlink" },
      ],
    });
    const history = await run(defaultStoreModule, deletion);
    const report = checkVersions(history);
    expect(report.allowed["external-stale-base"]).toBe(1);
    expect(report.violations).toEqual([]);
  });

  it("a batch that deletes what it just created writes an older version's bytes again: no loss on our store", {
    timeout: 60_000,
  }, async () => {
    // Found by explore at seed 1: the delete's version has the bytes of step 0's `{}`, and the
    // line once put the create after it (ordered by that base), so the delete looked lost.
    const recreated = ScheduleSchema.parse({
      options: { gateways: 1, externals: 0, initial: null },
      steps: [
        { actor: "g0", op: "merge-noop" },
        {
          actor: "g0",
          op: "batch",
          ops: [
            { op: "replace-entry", key: "c", set: { note: "n1" } },
            { op: "delete-entry", key: "c" },
            { op: "merge", key: "a", set: { note: "n1" } },
          ],
        },
      ],
    });
    const history = await run(defaultStoreModule, recreated);
    expect(checkVersions(history).violations).toEqual([]);
    expect(noLostUpdateOn(history)).toEqual([]);
  });

  it("mid-flight-drift: allowed on our store (declared), a lost write on a store that claims it closed, and no loss at all on the hardened store", {
    timeout: 60_000,
  }, async () => {
    const ours = await run(defaultStoreModule, midFlight);
    expect(checkVersions(ours).allowed["mid-flight-drift"]).toBe(1);
    expect(checkIds(noLostUpdateOn(ours)).filter((id) => id === "lost-write")).toEqual([]);

    const claiming = await run(claimsClosed, midFlight);
    expect(claiming.capabilities.knownLimitations).toEqual([]);
    const lost = noLostUpdateOn(claiming).filter((v) => v.check === "lost-write");
    expect(lost).toMatchObject([{ step: 1, actor: "x0", lostWrite: { droppedAt: 2 } }]);

    const closedStore = await run(hardened, midFlight);
    expect(checkVersions(closedStore).losses).toEqual([]);
  });

  it("a deliberately wrong model (it forgets the external write) is caught by the version oracle: oracle-disagreement, with both verdicts", {
    timeout: 60_000,
  }, async () => {
    const history = await run(variant("unchecked-cache"), behindTheCache);
    // As if x0 had written nothing: the model then expects exactly what the broken store left.
    const forgetful: typeof resolvePredictions = (h, closed) =>
      resolvePredictions(
        {
          ...h,
          steps: h.steps.map((record, i) =>
            i === 1 ? { ...record, after: record.before } : i === 2 ? { ...record, before: h.steps[0]!.after } : record,
          ),
        },
        closed,
      );
    const violations = noLostUpdateOn(history, { predict: forgetful });
    expect(checkIds(violations)).toEqual(["lost-write", "oracle-disagreement"]);
    const disagreement = violations.find((v) => v.check === "oracle-disagreement")!;
    expect(disagreement.message).toContain("the model says no-lost-update held");
    expect(disagreement.message).toContain("lost write");
    // The model as it is agrees with the version oracle: both find the loss, nothing to disagree on.
    expect(checkIds(noLostUpdateOn(history))).toEqual(["content", "lost-write"]);
  });
});
