import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StepLockedHistory } from "../../harness/history/types.js";
import { defaultStoreModule } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { runSchedule } from "../../harness/schedule/runner.js";
import { ScheduleSchema } from "../../harness/schedule/schema.js";
import { checkNoUnsignalledChange } from "../../properties/checks/limitation.js";
import type { Violation } from "../../properties/checks/violation.js";
import { resolvePredictions } from "../../properties/checks/resolve.js";
import { describeStep } from "../../properties/report/describe-step.js";
import { HTML_PAUSE_MARK, renderHtmlReport } from "../../properties/report/html/render.js";
import { actorsOf } from "../../properties/report/timeline.js";
import { closedLimitations } from "../../properties/run/evaluate.js";
import { LIMITATION_IDS } from "../../src/types.js";
import { findChromium } from "./browser.js";

/** The page's globals, for callbacks run inside Chromium (the project's TypeScript has no DOM lib; callbacks cannot close over Node values). */
type PageGlobals = { getComputedStyle(el: unknown): { borderTopColor: string }; pwned?: number };

/** Text a step writes into the file, and so into the page: it must come out as text, never as markup. */
const HOSTILE = "</div><script>window.pwned=1</script>&amp;<b>";

/**
 * Two gateways, one external and the coarse clock (so four lanes): g0 merges; g1 and x0 change
 * the file behind g0's cache, so g0's next merge fires the tripwire; then g0 is held at
 * after-load while x0 writes, and its resume overwrites that write unsignalled (mid-flight-drift,
 * a known limitation of our store); g1's last merge fires the tripwire again.
 */
const SCHEDULE = ScheduleSchema.parse({
  options: {
    gateways: 2,
    externals: 1,
    coarseClock: true,
    initial: { a: { sessionId: "sid-a", updatedAt: 0, note: "hello" } },
  },
  steps: [
    { actor: "g0", op: "merge", key: "a", set: { note: HOSTILE } },
    { actor: "clock", op: "tick" },
    { actor: "g1", op: "merge", key: "b", set: { note: "from g1" } },
    { actor: "clock", op: "tick" },
    { actor: "x0", op: "write", changes: [{ kind: "set", key: "c", set: { note: "outside" } }] },
    { actor: "clock", op: "tick" },
    { actor: "g0", op: "merge", key: "a", set: { note: "again" } },
    { actor: "clock", op: "tick" },
    { actor: "g0", op: "delete-entry", key: "b", pause: "after-load" },
    {
      actor: "x0",
      op: "write",
      changes: [{ kind: "bind-acp", key: "a", acp: { backend: "acpx", agent: "codex", state: "bound" } }],
    },
    { actor: "clock", op: "tick" },
    { actor: "g0", op: "resume" },
    { actor: "g1", op: "merge", key: "b", set: { note: "late" } },
  ],
});

describe("the HTML report, in headless Chromium", () => {
  let history: StepLockedHistory;
  let violations: Violation[];
  let dir: string;
  let file: string;
  beforeAll(async () => {
    const pool = new ActorPool({ storeModule: defaultStoreModule });
    try {
      history = await runSchedule(SCHEDULE, pool);
    } finally {
      await pool.close();
    }
    const closed = closedLimitations(history.capabilities.knownLimitations, LIMITATION_IDS);
    violations = checkNoUnsignalledChange("mid-flight-drift")({
      history,
      predictions: resolvePredictions(history, closed),
      closed,
    });
    dir = mkdtempSync(join(tmpdir(), "drift-report-test-"));
    file = join(dir, "report.html");
    writeFileSync(file, renderHtmlReport({ history, violations, failedProperty: "mid-flight-drift" }));
  });

  let opened: Promise<{ context: BrowserContext; page: Page; requests: string[] }> | undefined;
  /** Chromium on a fresh profile, opened once for the file's tests. */
  const open = () =>
    (opened ??= (async () => {
      // The system's Chromium, else the one npm installed: never a skip.
      const browser = await findChromium();
      const context = await chromium.launchPersistentContext(join(dir, "chromium-profile"), {
        executablePath: browser.executablePath,
        args: browser.args,
        headless: true,
      });
      const requests: string[] = [];
      context.on("request", (request) => requests.push(request.url()));
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(file).href);
      return { context, page, requests };
    })());
  afterAll(async () => {
    await (await opened?.catch(() => undefined))?.context.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the run produced what the page must show: tripwires, a held writer, a violation", () => {
    expect(history.steps.length).toBe(SCHEDULE.steps.length);
    expect(history.steps.flatMap((record) => record.tripwires).length).toBeGreaterThanOrEqual(2);
    expect(history.steps[8]!.end).toEqual({ kind: "paused", checkpoint: "after-load" });
    expect(violations).toEqual([expect.objectContaining({ step: 11, actor: "g0" })]);
  });

  it("has one lane per process, in order: g0, g1, x0, clock", async () => {
    const { page } = await open();
    const lanes = await page.$$eval("[data-lane]", (els) => els.map((el) => el.getAttribute("data-lane")));
    expect(lanes).toEqual(actorsOf(history));
    expect(lanes).toEqual(["g0", "g1", "x0", "clock"]);
    for (const lane of lanes)
      await expect.poll(() => page.locator(`[data-lane="${lane}"] > .label`).isVisible()).toBe(true);
  });

  it("has one box per step, in its actor's lane, with what it did, how it ended and when", async () => {
    const { page } = await open();
    const indices = await page.$$eval("[data-op-index]", (els) =>
      els.map((el) => Number(el.getAttribute("data-op-index"))),
    );
    expect(indices).toHaveLength(history.steps.length);
    expect([...indices].sort((a, b) => a - b)).toEqual(history.steps.map((record) => record.index));
    for (const record of history.steps) {
      const box = page.locator(`[data-lane="${record.step.actor}"] [data-op-index="${record.index}"]`);
      expect(await box.count(), `step ${record.index} in lane ${record.step.actor}`).toBe(1);
      const text = (await box.textContent()) ?? "";
      expect(text).toContain(describeStep(record.step, HTML_PAUSE_MARK));
      expect(text).toContain(`${record.startedAt.toFixed(3)} ms`);
      expect(text).toContain(`${record.endedAt.toFixed(3)} ms`);
      expect(await box.isVisible()).toBe(true);
    }
    expect(await page.locator('[data-op-index="8"]').textContent()).toContain("held at after-load");
    expect(await page.locator('[data-lane="g0"] [data-held-since="8"]').count()).toBe(2); // steps 9 and 10
  });

  it("marks every tripwire payload on its step's box, reason visible, full payload present", async () => {
    const { page } = await open();
    const expected = history.steps.flatMap((record) =>
      record.tripwires.map((payload) => ({ step: record.index, payload })),
    );
    expect(await page.locator("[data-tripwire-index]").count()).toBe(expected.length);
    for (const [index, { step, payload }] of expected.entries()) {
      const mark = page.locator(`[data-op-index="${step}"] [data-tripwire-index="${index}"]`);
      expect(await mark.count(), `tripwire ${index} on step ${step}`).toBe(1);
      expect(JSON.parse((await mark.locator("pre.payload").textContent()) ?? "")).toEqual(payload);
      const reason = (payload as { reason: string }).reason;
      expect(await mark.locator("strong").innerText()).toContain(reason);
      expect(await mark.locator("strong").isVisible()).toBe(true);
    }
  });

  it("names the failed property in a banner and highlights the violating step with the message", async () => {
    const { page } = await open();
    const banner = page.locator('[data-failed-property="mid-flight-drift"]');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.innerText()).toContain("mid-flight-drift");
    expect(await page.locator("[data-violation-step]").count()).toBe(violations.length);
    for (const v of violations) {
      const box = page.locator(`[data-op-index="${v.step}"]`);
      const mark = box.locator(`[data-violation-step="${v.step}"]`);
      expect(await mark.count()).toBe(1);
      expect(await mark.isVisible()).toBe(true);
      expect(await mark.textContent()).toContain(v.message);
      expect(await box.getAttribute("class")).toContain("violating");
      expect(
        await box.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).borderTopColor),
      ).toBe("rgb(220, 38, 38)");
      expect(await banner.textContent()).toContain(v.message);
    }
    const others = await page.$$eval("[data-op-index].violating", (els) =>
      els.map((el) => Number(el.getAttribute("data-op-index"))),
    );
    expect(others).toEqual(violations.map((v) => v.step));
  });

  it("draws the pause mark in CSS, with no glyph the browser's default fonts may lack", async () => {
    const { page } = await open();
    const text = (await page.locator("body").textContent()) ?? "";
    for (const glyph of ["⏸", "‖"]) expect(text, `the page uses ${glyph}`).not.toContain(glyph);
    expect(await page.locator('[data-op-index="8"] .op-what').textContent()).toContain(`${HTML_PAUSE_MARK}after-load`);
    const marks = page.locator(".pause-mark");
    expect(await marks.count()).toBe(3); // step 8's outcome and the hold bars of steps 9 and 10
    for (const box of await marks.all()) {
      const size = await box.boundingBox();
      expect(size!.width).toBeGreaterThan(3);
      expect(size!.height).toBeGreaterThan(5);
    }
  });

  it("shows the file's stat and hash after every step", async () => {
    const { page } = await open();
    expect(await page.locator("[data-file-after-step]").count()).toBe(history.steps.length);
    for (const record of history.steps) {
      const text = (await page.locator(`[data-file-after-step="${record.index}"]`).textContent()) ?? "";
      const stat = record.after.stat;
      if (stat.kind === "missing") expect(text).toContain("missing");
      else {
        expect(text).toContain(String(stat.mtimeMs));
        expect(text).toContain(`${stat.size} B`);
        expect(text).toContain(String(stat.ino));
        expect(text).toContain(record.after.hash!);
      }
    }
    expect(await page.locator("[data-file-initial]").textContent()).toContain(history.initial.hash!);
  });

  it("is self-contained, needs no script, and shows hostile text as text", async () => {
    const { page, requests } = await open();
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.locator("script, link, img, iframe, object, embed").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned)).toBeUndefined();
    expect(await page.locator('[data-op-index="0"] .op-what').textContent()).toBe(`merge a note=${HOSTILE}`);
  });
});
