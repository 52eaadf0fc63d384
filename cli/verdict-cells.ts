/** A property's verdict as the CLI's tables show it. */
export type VerdictRow = { id: string; expectation: "hold" | "reproduce"; runs: number; ok: boolean; verdict: string };

/** The columns every verdict table starts with: property, expected, runs, result. */
export const VERDICT_HEAD = ["property", "expected", "runs", "result"];

export const verdictCells = (row: VerdictRow): string[] => [
  row.id,
  row.expectation === "hold" ? "holds" : "reproduces",
  String(row.runs),
  `${row.ok ? "ok" : "FAIL"}: ${row.verdict}`,
];

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
