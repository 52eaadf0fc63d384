import { afterAll, beforeAll, describe, it } from "vitest";
import type { PropertyDefinition } from "../properties/definition.js";
import { runProperty } from "../properties/run/run-property.js";
import { saveResultFiles } from "../properties/scenario/save.js";
import { explain, explored } from "./explain.js";
import { selectProperties } from "./explore.js";
import { openStore, type OpenStore } from "./open-store.js";
import type { TargetOptions } from "./store-target.js";

export type DescribeStoreOptions = TargetOptions & {
  /** Schedules per property (default: each property's own). A limitation's own budget is a floor. */
  runs?: number;
  /** fast-check seed. Default: `DRIFT_SEED` from the environment, else {@link DEFAULT_SEED}, so the suite is deterministic. */
  seed?: number;
  /** Property and limitation ids to register (default: all). */
  only?: string[];
  /** Where counterexample scenario files are written (default `counterexamples`, under the working directory); `false`: nowhere. */
  out?: string | false;
  /** Per-test timeout in ms (default: one minute plus 1.5 s a run). */
  timeoutMs?: number;
};

/** The seed a suite explores with when neither `seed` nor `DRIFT_SEED` says otherwise. */
export const DEFAULT_SEED = 20261201;

/** How long a test waits for the store's processes to start and answer the probe. */
const START_TIMEOUT_MS = 120_000;

/**
 * Registers one vitest test per property and known limitation for a store module, run in real
 * processes exactly as `drift-harness explore` runs them. A property fails with the shrunk
 * counterexample's timeline, the seed and the replay command; a limitation the store declares
 * in `knownLimitations` (all three when it declares none) must reproduce, and fails when it no
 * longer does.
 *
 * @example
 * import { describeStore } from "drift-harness/vitest";
 * describeStore("my store", { store: new URL("../src/store.js", import.meta.url), runs: 30 });
 */
export function describeStore(name: string, opts: DescribeStoreOptions): void {
  const properties = selectProperties(opts.only);
  const seed = opts.seed ?? seedFromEnv() ?? DEFAULT_SEED;
  describe(name, () => {
    let opened: Promise<OpenStore> | undefined;
    const store = () => (opened ??= openStore(opts));
    beforeAll(async () => {
      await store();
    }, START_TIMEOUT_MS);
    afterAll(async () => {
      await (await opened?.catch(() => undefined))?.pool.close();
    });
    for (const property of properties) {
      it(testTitle(property), {
        timeout: opts.timeoutMs ?? 60_000 + 1_500 * Math.max(opts.runs ?? 0, property.defaultRuns),
      }, async (context) => {
        const { pool, capabilities, closed, label } = await store();
        const ran = await runProperty(property, { pool, capabilities, closed, runs: opts.runs, seed });
        // Said, never silent: the store's capabilities do not let the harness exercise this one.
        if (ran.verdict === "not-explorable")
          context.skip(`not explorable on this store, because ${ran.notExplorable}`);
        if (ran.ok) return;
        const result = explored(
          ran,
          opts.out === false ? { files: [] } : saveResultFiles(ran, label, opts.out ?? "counterexamples"),
          label,
        );
        const expected =
          result.expectation === "hold" ? "must hold" : "is a known limitation of this store and must reproduce";
        throw new Error(
          [
            `${property.id} ${expected}, but ${result.verdict} (seed ${result.seed}, ${result.runs} runs)`,
            ...explain(result, label),
          ].join("\n"),
        );
      });
    }
  });
}

const testTitle = (property: PropertyDefinition): string =>
  property.limitation
    ? `${property.id} (limitation: reproduces while declared, else holds)`
    : `${property.id}: ${property.title}`;

function seedFromEnv(): number | undefined {
  const raw = process.env.DRIFT_SEED;
  if (raw === undefined || raw === "") return undefined;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`DRIFT_SEED must be a whole number, got ${JSON.stringify(raw)}`);
  return seed;
}
