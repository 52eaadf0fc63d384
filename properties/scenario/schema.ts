import { z } from "zod";
import { ScheduleSchema } from "../../harness/schedule/schema.js";
import { PROPERTY_IDS } from "../catalogue.js";

const PropertyId = z.enum(PROPERTY_IDS as [string, ...string[]]);

/**
 * A scenario file: a schedule to replay and what must come of it. `explore` saves every
 * counterexample as one; bug reports are written down as one.
 */
export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  reference: z.string().optional().describe("the report this scenario reproduces, e.g. openclaw/openclaw#9776"),
  story: z.string().optional().describe("one line: what happened"),
  symptom: z.string().optional().describe("what the user saw"),
  schedule: ScheduleSchema,
  expect: z.strictObject({
    holds: z.array(PropertyId).default([]).describe("properties that must hold on this schedule"),
    fails: z.array(PropertyId).default([]).describe("properties that must fail on this schedule"),
  }),
  found: z
    .strictObject({
      property: PropertyId,
      store: z.string(),
      seed: z.number().int(),
      path: z.string().optional(),
      violations: z.array(z.strictObject({ step: z.number().int(), actor: z.string(), message: z.string() })),
    })
    .optional()
    .describe("where explore found it"),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
