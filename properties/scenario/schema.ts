import { z } from "zod";
import { ScheduleSchema } from "../../harness/schedule/schema.js";
import { PROPERTY_IDS } from "../catalogue.js";
import { STORE_RESOLVERS } from "../../adapters/registry.js";

const PropertyId = z.enum(PROPERTY_IDS as [string, ...string[]]);

/**
 * Which store an expectation is about: `under-test` (the module given with `--store`, our
 * built store by default), `hardened` (our hardened store), `variant:<name>` (one of our
 * broken variants, see variants/catalogue.ts), or `<package>@<version>` (a published release of
 * openclaw or of a package adapter's package, e.g. `conf@16.0.0`, fetched into the cache and adapted).
 */
const PACKAGES = [...STORE_RESOLVERS.keys()];

export const StoreRef = z
  .string()
  .regex(
    new RegExp(
      `^(under-test|hardened|variant:[a-z][a-z0-9-]*|(${PACKAGES.join("|")})@\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?)$`,
    ),
    `a store: "under-test", "hardened", "variant:<name>" or "<package>@<version>" (${PACKAGES.join(", ")})`,
  );

/** Whether a store reference names a published release (it needs the cache or the network). */
export const isReleaseRef = (ref: string): boolean => PACKAGES.some((name) => ref.startsWith(`${name}@`));

/**
 * How the report shows on the real releases: the code that has the bug and the code that
 * fixed it (the `openclaw@` expectations carry the verdicts), or exactly why the harness
 * cannot see it there.
 */
export const RealRelease = z.union([
  z.strictObject({
    evidence: z
      .string()
      .min(1)
      .describe("what in each named release's code has the bug, and what the first release with the fix changed"),
  }),
  z.strictObject({
    unobservable: z.string().min(1).describe("why the harness cannot see this report on the real releases"),
  }),
]);

export const Expectation = z.strictObject({
  store: StoreRef,
  holds: z.array(PropertyId).default([]).describe("properties that must hold on this schedule, on this store"),
  fails: z.array(PropertyId).default([]).describe("properties that must fail on this schedule, on this store"),
});

/**
 * A scenario file: a schedule to replay and what must come of it on which store. `explore`
 * saves every counterexample as one; a bug report is written down as one.
 *
 * @example
 * { "name": "mtime-only cache", "reference": "openclaw/openclaw#9776",
 *   "schedule": { "options": { "gateways": 1, "externals": 1 }, "steps": [ … ] },
 *   "expect": [ { "store": "under-test", "holds": ["tripwire-timing"] },
 *               { "store": "variant:mtime-only", "fails": ["tripwire-timing"] } ] }
 */
export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  reference: z.string().optional().describe("the report this scenario reproduces, e.g. openclaw/openclaw#9776"),
  story: z.string().optional().describe("one line: what happened"),
  symptom: z.string().optional().describe("what the user saw"),
  schedule: ScheduleSchema,
  expect: z.array(Expectation).min(1),
  realRelease: RealRelease.optional().describe(
    "the report on openclaw's published releases: the evidence in their code, or why it cannot be seen there",
  ),
  found: z
    .strictObject({
      property: PropertyId,
      store: z.string(),
      seed: z.number().int(),
      path: z.string().optional(),
      signature: z
        .strictObject({ check: z.string(), ops: z.array(z.string()) })
        .optional()
        .describe(
          "what tells this finding from the property's others: the check that failed and the kinds of operation in the counterexample",
        ),
      violations: z.array(
        z.strictObject({
          step: z.number().int(),
          actor: z.string(),
          check: z.string().optional(),
          message: z.string(),
        }),
      ),
    })
    .optional()
    .describe("where explore found it"),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type StoreRef = z.infer<typeof StoreRef>;
