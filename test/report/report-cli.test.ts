import { execaNode } from "execa";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dir } from "tmp-promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StepLockedHistory } from "../../harness/history/types.js";
import { defaultStoreModule, distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { runSchedule } from "../../harness/schedule/runner.js";
import { ScheduleSchema } from "../../harness/schedule/schema.js";

const cli = join(distDir, "cli", "main.js");
const run = (args: string[]) =>
  execaNode(cli, args, { reject: false, all: true, env: { SESSION_STORE_LOG_LEVEL: "silent" } });

/** `drift-harness report`: exit 0 when the page is written, 2 on bad usage or an unusable input file (named). */
describe("drift-harness report", () => {
  let out: { path: string; cleanup: () => Promise<void> };
  let history: StepLockedHistory;
  const at = (name: string) => join(out.path, name);
  const write = (name: string, content: unknown) => {
    writeFileSync(at(name), typeof content === "string" ? content : JSON.stringify(content));
    return at(name);
  };

  beforeAll(async () => {
    out = await dir({ unsafeCleanup: true, prefix: "drift-report-cli-" });
    const pool = new ActorPool({ storeModule: defaultStoreModule });
    try {
      // g0's second merge finds x0's write behind its cache: one tripwire.
      history = await runSchedule(
        ScheduleSchema.parse({
          options: { gateways: 1, externals: 1 },
          steps: [
            { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
            { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "n2" } }] },
            { actor: "g0", op: "merge", key: "a", set: { note: "n3" } },
          ],
        }),
        pool,
      );
    } finally {
      await pool.close();
    }
  });
  afterAll(async () => out.cleanup());

  it("writes the page for a bare history: exit 0", async () => {
    const input = write("history.json", history);
    const result = await run(["report", input, "--html", at("bare/report.html")]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("3 step(s), 1 tripwire(s), 0 violation(s)");
    const page = readFileSync(at("bare/report.html"), "utf8");
    expect(page).toContain('data-op-index="2"');
    expect(page).toContain('data-tripwire-index="0"');
    expect(page).not.toContain("<script");
  });

  it("writes the page for { history, violations, failedProperty }, naming the property", async () => {
    const input = write("wrapped.json", {
      history,
      violations: [{ step: 2, actor: "g0", message: "an example violation" }],
      failedProperty: "no-lost-update",
    });
    const result = await run(["report", input, "--html", at("wrapped.html")]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("no-lost-update failed");
    const page = readFileSync(at("wrapped.html"), "utf8");
    expect(page).toContain('data-failed-property="no-lost-update"');
    expect(page).toContain('data-violation-step="2"');
  });

  it("replays a scenario file against the store and shows the first failed property", { timeout: 60_000 }, async () => {
    const input = write("scenario.json", {
      name: "a held writer renames over an outside write",
      schedule: {
        options: { gateways: 1, externals: 1 },
        steps: [
          { actor: "g0", op: "merge", key: "a", set: { note: "n1" } },
          { actor: "g0", op: "merge", key: "a", set: { note: "n2" }, pause: "after-load" },
          { actor: "x0", op: "write", changes: [{ kind: "set", key: "b", set: { note: "outside" } }] },
          { actor: "g0", op: "resume" },
        ],
      },
      expect: [{ store: "under-test", holds: ["tripwire-timing"], fails: ["mid-flight-drift"] }],
    });
    const result = await run(["report", input, "--html", at("scenario.html")]);
    expect(result.exitCode, result.all).toBe(0);
    const page = readFileSync(at("scenario.html"), "utf8");
    expect(page).toContain('data-failed-property="mid-flight-drift"');
    expect(page).toContain('data-violation-step="3"');
    expect(page).toContain("a held writer renames over an outside write");
  });

  it("exits 2 naming an input file that does not exist", async () => {
    const missing = at("no-such-history.json");
    const result = await run(["report", missing, "--html", at("x.html")]);
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain(`${missing}: cannot read`);
    expect(existsSync(at("x.html"))).toBe(false);
  });

  it("exits 2 naming a file that is not JSON, or neither a history nor a scenario", async () => {
    const notJson = write("not-json.json", "{ steps: ");
    const first = await run(["report", notJson, "--html", at("x.html")]);
    expect(first.exitCode).toBe(2);
    expect(first.all).toContain(`${notJson}: not valid JSON`);

    const neither = write("neither.json", { hello: "world" });
    const second = await run(["report", neither, "--html", at("x.html")]);
    expect(second.exitCode).toBe(2);
    expect(second.all).toContain(`${neither}: neither a history`);
  });

  it("exits 2 naming the file and the JSON path of a broken history", async () => {
    const broken = structuredClone(history) as unknown as { steps: { startedAt: unknown }[] };
    broken.steps[1]!.startedAt = "soon";
    const input = write("broken.json", broken);
    const result = await run(["report", input, "--html", at("x.html")]);
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain(input);
    expect(result.all).toContain("$.steps[1].startedAt");
  });

  it("exits 2 on a bad scenario file, a missing --store module, a missing --html, an unwritable output", async () => {
    const badScenario = write("bad-scenario.json", {
      name: "bad",
      schedule: { options: { gateways: 1, externals: 0 }, steps: [{ actor: "g0", op: "frobnicate" }] },
      expect: [],
    });
    const bad = await run(["report", badScenario, "--html", at("x.html")]);
    expect(bad.exitCode).toBe(2);
    expect(bad.all).toContain(badScenario);

    const someInput = write("for-usage.json", { version: 1, steps: "none" });
    const noHtml = await run(["report", someInput]);
    expect(noHtml.exitCode).toBe(2);
    expect(noHtml.all).toContain("--html");

    const scenario = at("scenario.json");
    const noStore = await run(["report", scenario, "--html", at("x.html"), "--store", at("no-such-store.js")]);
    expect(noStore.exitCode).toBe(2);
    expect(noStore.all).toContain("no-such-store.js does not exist");

    const input = write("history-2.json", history);
    const unwritable = await run(["report", input, "--html", join(input, "report.html")]);
    expect(unwritable.exitCode).toBe(2);
    expect(unwritable.all).toContain(`cannot write ${join(input, "report.html")}`);
  });
});
