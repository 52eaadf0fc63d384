import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findScheduleIssues } from "../../harness/schedule/validate.js";
import { propertyById } from "../../properties/catalogue.js";
import { evaluate } from "../../properties/run/evaluate.js";
import { runProperty } from "../../properties/run/run-property.js";
import { loadScenario } from "../../properties/scenario/load.js";
import { saveResultFiles } from "../../properties/scenario/save.js";
import { explain, explored } from "../../api/explain.js";
import { fixtureModule, usePool } from "../harness/helpers.js";

/** A writer that never settles: every run that writes ends in a step timeout (800 ms, far above any other step's cost), an error, not a violation. */
const pool = usePool({ storeModule: fixtureModule("hanging-store.mjs"), stepTimeoutMs: 800 });
const out = mkdtempSync(join(tmpdir(), "drift-error-run-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("a property run that errors", () => {
  it("keeps the schedule it errored on as a scenario file whose replay runs into the same error", async () => {
    const property = propertyById("no-lost-update");
    const result = await runProperty(property, {
      pool: pool(),
      capabilities: { checkpoints: "hook" },
      closed: new Set(),
      runs: 5,
      seed: 3,
    });
    expect(result.verdict).toBe("failed");
    expect(result.error).toMatch(/did not answer .* within 800 ms/);
    expect(result.errorRun?.path).toMatch(/^\d+(:\d+)*$/);
    const saved = saveResultFiles(result, "hanging-store.mjs", out);
    expect(saved.errorFile).toBe(join(out, "no-lost-update-seed3-error.json"));
    expect(existsSync(saved.errorFile!)).toBe(true);
    const lines = explain(explored(result, saved, "hanging-store.mjs"), "hanging-store.mjs");
    expect(lines).toContain(`  harness error: ${result.error} (seed 3, path ${result.errorRun!.path})`);
    expect(lines.some((line) => line.includes(`replay ${saved.errorFile}`))).toBe(true);
    const scenario = loadScenario(saved.errorFile!);
    expect(scenario.schedule).toEqual(result.errorRun!.schedule);
    expect(findScheduleIssues(scenario.schedule)).toEqual([]);
    expect(scenario.expect).toEqual([{ store: "under-test", holds: ["no-lost-update"], fails: [] }]);
    await expect(evaluate(property, scenario.schedule, pool(), new Set())).rejects.toThrow(
      /did not answer .* within 800 ms/,
    );
  }, 60_000);
});
