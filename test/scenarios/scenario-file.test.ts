import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dir } from "tmp-promise";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/paths.js";
import { renderScenarioJsonSchema } from "../../properties/scenario/json-schema.js";
import { loadScenario, ScenarioFileError } from "../../properties/scenario/load.js";

const valid = {
  name: "ok",
  schedule: {
    options: { gateways: 1, externals: 1 },
    steps: [{ actor: "g0", op: "merge", key: "a", set: { note: "n1" } }],
  },
  expect: [{ store: "under-test", holds: ["tripwire-timing"] }],
};

async function rejection(content: unknown): Promise<{ file: string; message: string }> {
  const tmp = await dir({ unsafeCleanup: true });
  const file = join(tmp.path, "scenario.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  try {
    loadScenario(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioFileError);
    return { file, message: (error as Error).message };
  } finally {
    await tmp.cleanup();
  }
  throw new Error("the scenario was accepted");
}

describe("scenario files", () => {
  it("the published JSON Schema is the one generated from the code's zod schema (run `npm run schema`)", () => {
    expect(readFileSync(join(projectRoot, "scenarios", "schema.json"), "utf8")).toBe(renderScenarioJsonSchema());
  });

  it("accepts a valid file", async () => {
    const tmp = await dir({ unsafeCleanup: true });
    const file = join(tmp.path, "ok.json");
    writeFileSync(file, JSON.stringify(valid));
    expect(loadScenario(file).schedule.options.coarseClock).toBe(false);
    await tmp.cleanup();
  });

  it("names the file, the JSON path and what was expected", async () => {
    const bad = structuredClone(valid) as any;
    bad.schedule.options.gateways = "two";
    const { file, message } = await rejection(bad);
    expect(message).toContain(file);
    expect(message).toContain("$.schedule.options.gateways");
    expect(message).toMatch(/expected number/);
  });

  it("names an unknown property id and an unknown store", async () => {
    const bad = structuredClone(valid) as any;
    bad.expect = [{ store: "somewhere", fails: ["no-such-property"] }];
    const { message } = await rejection(bad);
    expect(message).toContain("$.expect[0].store");
    expect(message).toContain("$.expect[0].fails[0]");
  });

  it("applies the schedule's own rules, with the path", async () => {
    const bad = structuredClone(valid) as any;
    bad.schedule.steps.push({ actor: "g3", op: "read", skipCache: false });
    const { message } = await rejection(bad);
    expect(message).toContain("$.schedule.steps[1].actor");
    expect(message).toContain("g3 does not exist");
  });

  it("says when the file is not JSON at all", async () => {
    const { file, message } = await rejection("{ nope");
    expect(message).toContain(file);
    expect(message).toContain("not readable JSON");
  });
});
