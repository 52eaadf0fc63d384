import { z } from "zod";

/**
 * What readers of an `explore --json` summary rely on (`summaryJson` in explore.ts writes it):
 * the store and seed, and per property its id, expectation, verdict and runs. A reader extends
 * a result with the fields it needs; the rest of the file is kept, unread.
 */
export const SummaryResult = z.object({
  id: z.string(),
  expectation: z.enum(["hold", "reproduce"]),
  verdict: z.string(),
  ok: z.boolean(),
  runs: z.number(),
});

export const summaryOf = <Result extends z.ZodTypeAny>(result: Result) =>
  z.object({ store: z.string(), seed: z.number(), results: z.array(result) });
