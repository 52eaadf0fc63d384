import type { MatrixReport } from "./matrix-report.js";

/** Why shard files cannot be joined: the CLI exits 2 with the message. */
export class MatrixMergeError extends Error {
  override readonly name = "MatrixMergeError";
}

/**
 * Joins the matrix files of `--shard i/n` runs into one report: they must be over the same
 * releases, and together must have run every one of them (a missing shard fails the merge).
 */
export function mergeMatrices(reports: readonly { file: string; report: MatrixReport }[]): MatrixReport {
  const first = reports[0];
  if (!first) throw new MatrixMergeError("no matrix files to merge");
  for (const { file, report } of reports) {
    if (report.releases.join(" ") !== first.report.releases.join(" ")) {
      throw new MatrixMergeError(
        `${file} is over ${report.store} (${report.releases.length} releases), ${first.file} over ${first.report.store} (${first.report.releases.length}): not shards of one matrix`,
      );
    }
  }
  const ran = new Set(reports.flatMap(({ report }) => report.ran));
  const missing = first.report.releases.filter((release) => !ran.has(release));
  if (missing.length > 0) throw new MatrixMergeError(`no file ran ${missing.join(", ")}: a shard is missing`);
  const columns = new Map(reports.flatMap(({ report }) => report.columns.map((c) => [c.id, c] as const)));
  const cells = new Map(
    reports.flatMap(({ report }) => report.cells.map((c) => [`${c.release}\u0000${c.column}`, c] as const)),
  );
  return {
    kind: "drift-harness-matrix",
    schemaVersion: 1,
    store: first.report.store,
    releases: first.report.releases,
    ran: first.report.releases,
    columns: [...columns.values()],
    cells: first.report.releases.flatMap((release) =>
      [...columns.keys()].flatMap((column) => cells.get(`${release}\u0000${column}`) ?? []),
    ),
  };
}
