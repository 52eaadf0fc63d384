import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findingsPages, regeneratePage, renderVerdicts, type RunFile } from "../../scripts/findings-tables.js";

const run: RunFile = {
  recorded: { date: "2026-12-03", command: "explore --runs 5 --seed 1" },
  store: "dist/src/store.js",
  seed: 1,
  results: [
    { id: "no-lost-update", expectation: "hold", verdict: "held", ok: true, runs: 5, findingCount: 0, findings: [] },
  ],
};

describe("docs/findings verdict tables", () => {
  it.each(findingsPages().map((page) => [basename(page), page]))(
    "%s is what npm run findings:tables makes of its runs",
    (_name, page) => {
      const committed = readFileSync(page, "utf8");
      expect(regeneratePage(committed).text).toBe(committed);
    },
  );

  const dir = mkdtempSync(join(tmpdir(), "findings-tables-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders a run's date, seed, and a row per property", () => {
    const table = renderVerdicts(run);
    expect(table).toContain("| `no-lost-update` | holds | 5 | held | 0 |");
    expect(table).toContain("Run of 2026-12-03 (UTC), seed 1");
  });

  it("undoes a hand edit inside a marked region, and leaves a region without a run alone", () => {
    writeFileSync(join(dir, "t.json"), JSON.stringify(run));
    const generated = `a\n<!-- verdicts:t -->\n${renderVerdicts(run)}<!-- /verdicts -->\nb\n`;
    const edited = generated.replace("| held |", "| held (200 runs) |");
    expect(regeneratePage(edited, dir).text).toBe(generated);
    const orphan = "<!-- verdicts:none -->\nby hand\n<!-- /verdicts -->\n";
    expect(regeneratePage(orphan, dir)).toEqual({ text: orphan, missing: ["none"] });
  });
});
