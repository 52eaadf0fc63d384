import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/paths.js";
import { MatrixReport } from "../../matrix/matrix-report.js";
import { useRelease } from "../adapters/release-fixture.js";
import { findChromium } from "../report/browser.js";

/** Where CI installs Chromium (`.ci/run`), as the timeline report's browser test expects it. */

const SCENARIO = "scenarios/reported/openclaw-9776-mtime-only-cache.json";
const cli = (args: string[]) =>
  execa("node", ["dist/cli/main.js", ...args], { cwd: projectRoot, reject: false, env: { TMPDIR: tmpdir() } });

/**
 * The matrix and bisect on real releases from the cache, ones the adapter tests fetch anyway:
 * 2026.2.1 (the reader cache keyed on mtimeMs alone) and 2026.3.2 (mtimeMs and size, the fix),
 * so the verdict of openclaw-9776 changes between them; 2026.5.6 and 2026.7.1 agree.
 */
describe("matrix and bisect on cached releases", () => {
  const releases = ["2026.2.1", "2026.3.2", "2026.5.6", "2026.7.1"].map(useRelease);
  const dir = mkdtempSync(join(tmpdir(), "drift-matrix-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ready = (ctx: Parameters<(typeof releases)[number]>[0]) => releases.forEach((release) => release(ctx));

  it("matrix: a row per release, the verdict change, JSON and an HTML page that opens in Chromium", {
    timeout: 120_000,
  }, async (ctx) => {
    ready(ctx);
    const json = join(dir, "matrix.json");
    const page = join(dir, "matrix.html");
    const run = await cli([
      "matrix",
      SCENARIO,
      "scenarios/reported/openclaw-17971-coarse-clock-new-entry.json",
      "--store",
      "openclaw@2026.3.2,2026.2.1",
      "--json",
      json,
      "--html",
      page,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain("matrix over 2 release(s): 2026.2.1 2026.3.2");
    expect(run.stdout).toMatch(/2026\.2\.1\s+reproduced\s+reproduced/);
    expect(run.stdout).toMatch(/2026\.3\.2\s+held\s+held/);
    const report = MatrixReport.parse(JSON.parse(readFileSync(json, "utf8")));
    expect(report.cells.map((c) => `${c.release} ${c.column} ${c.result}`)).toEqual([
      "2026.2.1 scenario:openclaw-9776-mtime-only-cache reproduced",
      "2026.2.1 scenario:openclaw-17971-coarse-clock-new-entry reproduced",
      "2026.3.2 scenario:openclaw-9776-mtime-only-cache held",
      "2026.3.2 scenario:openclaw-17971-coarse-clock-new-entry held",
    ]);

    // The system's Chromium, else the one npm installed: never a skip.
    const browser = await findChromium();
    const context = await chromium.launchPersistentContext(join(dir, "chromium-profile"), {
      executablePath: browser.executablePath,
      args: browser.args,
      headless: true,
    });
    try {
      const requests: string[] = [];
      context.on("request", (request) => requests.push(request.url()));
      const tab = context.pages()[0] ?? (await context.newPage());
      await tab.goto(pathToFileURL(page).href);
      expect(await tab.locator("table.matrix tbody tr").count()).toBe(2);
      expect(await tab.locator('tr[data-release="2026.2.1"] td[data-result="reproduced"]').count()).toBe(2);
      expect(await tab.locator('tr[data-release="2026.3.2"] td[data-result="held"]').count()).toBe(2);
      expect(await tab.locator("ul.details li").count()).toBe(2);
      expect(requests.filter((url) => !url.startsWith("file:"))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("bisect: each release tried, and the first whose verdict differs; exit 1 when it never changes", {
    timeout: 120_000,
  }, async (ctx) => {
    ready(ctx);
    const found = await cli(["bisect", SCENARIO, "--store", "openclaw@2026.2.1,2026.3.2"]);
    expect(found.exitCode, found.stderr).toBe(0);
    expect(found.stdout).toContain(
      "openclaw@2026.2.1: tripwire-timing absent, payload-fields absent, no-lost-update failed: the verdict to compare with",
    );
    expect(found.stdout.trim().split("\n").at(-1)).toBe("first release where the verdict changes: 2026.3.2");
    const same = await cli(["bisect", SCENARIO, "--store", "openclaw@2026.5.6,2026.7.1"]);
    if (same.exitCode === 2 && /registry cannot be reached/.test(same.stderr) && process.env.CI !== "true")
      ctx.skip(same.stderr.trim());
    expect(same.stdout).toContain(
      "bisect scenarios/reported/openclaw-9776-mtime-only-cache.json over 2 releases: 2026.5.6 2026.7.1",
    );
    expect(same.exitCode, same.stderr).toBe(1);
    expect(
      await cli(["bisect", "no-such-file.json", "--store", "openclaw@2026.2.1,2026.3.2"]).then((r) => r.exitCode),
    ).toBe(2);
  });
});
