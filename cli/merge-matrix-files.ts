import { readFileSync, writeFileSync } from "node:fs";
import { MatrixReport, looksLikeMatrix } from "../matrix/matrix-report.js";
import { mergeMatrices, MatrixMergeError } from "../matrix/merge-matrices.js";
import { renderMatrixHtml } from "../matrix/render-html.js";
import { renderMatrix } from "../matrix/render-table.js";
import { UsageError } from "./store-option.js";

const readJson = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file}: not readable JSON: ${(error as Error).message}`);
  }
};

/** Whether `merge` was given matrix files (`matrix --json`) rather than explore summaries. */
export const areMatrixFiles = (files: string[]): boolean => files.length > 0 && looksLikeMatrix(readJson(files[0]!));

/** Joins `matrix --shard i/n --json` files into one table (and `--json`/`--html`). Exit 0, or 2 on bad input. */
export function mergeMatrixFiles(files: string[], opts: { json?: string; html?: string } = {}): number {
  const reports = files.map((file) => {
    const parsed = MatrixReport.safeParse(readJson(file));
    if (!parsed.success)
      throw new UsageError(
        `${file}: not a matrix file: ${parsed.error.issues.map((i) => `$.${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    return { file, report: parsed.data };
  });
  let merged;
  try {
    merged = mergeMatrices(reports);
  } catch (error) {
    if (error instanceof MatrixMergeError) throw new UsageError(error.message);
    throw error;
  }
  process.stdout.write(`${renderMatrix(merged)}\n`);
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(merged, null, 2)}\n`);
  if (opts.html) writeFileSync(opts.html, renderMatrixHtml(merged));
  return 0;
}
