import { z } from "zod";

/** How one release came out on one scenario or property. */
export const CellResult = z.enum(["held", "failed", "reproduced", "absent"]);

export const MatrixColumn = z.strictObject({
  id: z.string().describe("scenario:<file> or property:<id>"),
  kind: z.enum(["scenario", "property"]),
  label: z.string().describe("the short name printed in the table"),
});

export const MatrixCell = z.strictObject({
  release: z.string(),
  column: z.string(),
  result: CellResult,
  detail: z.string().describe("which properties failed, or why it is absent"),
  file: z.string().optional().describe("the scenario replayed, or the counterexample explore wrote"),
});

/**
 * What `matrix --json` writes: the releases asked for (all shards), the ones this file ran, and a
 * cell per release and column. `merge` joins the files of every shard into one.
 */
export const MatrixReport = z.strictObject({
  kind: z.literal("drift-harness-matrix"),
  schemaVersion: z.literal(1),
  store: z.string().describe("the --store value, e.g. openclaw@2026.2.1..2026.5.6"),
  releases: z.array(z.string()).describe("every release the range names, in version order"),
  shard: z.strictObject({ index: z.number().int(), count: z.number().int() }).optional(),
  ran: z.array(z.string()).describe("the releases this file holds cells for"),
  columns: z.array(MatrixColumn),
  cells: z.array(MatrixCell),
});

export type CellResult = z.infer<typeof CellResult>;
export type MatrixColumn = z.infer<typeof MatrixColumn>;
export type MatrixCell = z.infer<typeof MatrixCell>;
export type MatrixReport = z.infer<typeof MatrixReport>;

/** Whether parsed JSON is a matrix report (as opposed to an explore summary). */
export const looksLikeMatrix = (raw: unknown): boolean =>
  typeof raw === "object" && raw !== null && (raw as { kind?: unknown }).kind === "drift-harness-matrix";
