import { renderTable } from "../properties/report/text-table.js";
import type { CellResult, MatrixReport } from "./matrix-report.js";

const SHORT: Record<CellResult, string> = {
  held: "held",
  failed: "FAILED",
  reproduced: "reproduced",
  absent: "absent",
};

/**
 * The matrix as text: a row per release (version order), a column per scenario or property,
 * then every cell that is not `held` with its detail and file, and a legend for absent reasons
 * shared by a whole release.
 */
export function renderMatrix(report: MatrixReport): string {
  const cell = (release: string, column: string) =>
    report.cells.find((c) => c.release === release && c.column === column);
  const rows = report.releases.map((release) => [
    release,
    ...report.columns.map((col) => {
      const c = cell(release, col.id);
      return c ? SHORT[c.result] : "-";
    }),
  ]);
  const lines = [renderTable(["release", ...report.columns.map((c) => c.label)], rows), ""];
  for (const release of report.releases) {
    const mine = report.cells.filter((c) => c.release === release);
    if (mine.length > 0 && mine.every((c) => c.result === "absent" && c.detail === mine[0]!.detail)) {
      lines.push(`${release}: absent: ${mine[0]!.detail}`);
      continue;
    }
    for (const c of mine.filter((c) => c.result !== "held")) {
      const label = report.columns.find((col) => col.id === c.column)?.label ?? c.column;
      lines.push(`${release} ${label}: ${c.result}: ${c.detail}${c.file ? ` [${c.file}]` : ""}`);
    }
  }
  return lines.join("\n");
}
