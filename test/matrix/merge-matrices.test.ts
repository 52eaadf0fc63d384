import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/paths.js";
import type { MatrixReport } from "../../matrix/matrix-report.js";
import { mergeMatrices } from "../../matrix/merge-matrices.js";

const releases = ["2026.2.1", "2026.3.31", "2026.5.6"];
const columns = [
  { id: "scenario:openclaw-9776-mtime-only-cache", kind: "scenario" as const, label: "9776-mtime-only-cache" },
];
const shard = (index: number, ran: string[]): MatrixReport => ({
  kind: "drift-harness-matrix",
  schemaVersion: 1,
  store: "openclaw@2026.2.1..2026.5.6",
  releases,
  shard: { index, count: 2 },
  ran,
  columns,
  cells: ran.map((release) => ({
    release,
    column: columns[0]!.id,
    result: release === "2026.2.1" ? ("reproduced" as const) : ("held" as const),
    detail: "no-lost-update",
  })),
});

describe("merge of matrix shards", () => {
  const dir = mkdtempSync(join(tmpdir(), "drift-matrix-merge-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("joins the shards into one table in version order", () => {
    const merged = mergeMatrices([
      { file: "b", report: shard(2, ["2026.3.31"]) },
      { file: "a", report: shard(1, ["2026.2.1", "2026.5.6"]) },
    ]);
    expect(merged.ran).toEqual(releases);
    expect(merged.cells.map((c) => `${c.release} ${c.result}`)).toEqual([
      "2026.2.1 reproduced",
      "2026.3.31 held",
      "2026.5.6 held",
    ]);
  });

  it("through the CLI: the table, and a missing shard fails with exit 2", async () => {
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    writeFileSync(a, JSON.stringify(shard(1, ["2026.2.1", "2026.5.6"])));
    writeFileSync(b, JSON.stringify(shard(2, ["2026.3.31"])));
    const joined = await execa("node", ["dist/cli/main.js", "merge", a, b, "--json", join(dir, "all.json")], {
      cwd: projectRoot,
      reject: false,
    });
    expect(joined.exitCode).toBe(0);
    expect(joined.stdout).toMatch(/2026\.2\.1\s+reproduced/);
    expect(joined.stdout).toMatch(/2026\.3\.31\s+held/);
    const missing = await execa("node", ["dist/cli/main.js", "merge", a], { cwd: projectRoot, reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("no file ran 2026.3.31: a shard is missing");
  });
});
