import { performance } from "node:perf_hooks";
import { inOrder } from "../api/in-order.js";
import { defaultStoreModule } from "../harness/paths.js";
import { ActorPool } from "../harness/pool/pool.js";
import { propertyById } from "../properties/catalogue.js";
import { runProperty } from "../properties/run/run-property.js";

export type ExploreBenchRow = {
  property: string;
  jobs: number;
  schedules: number;
  seconds: number;
  schedulesPerSecond: number;
};
export type ExploreBench = { rows: ExploreBenchRow[]; scaling: Record<string, number> };

/** Properties measured: a typical one and the one whose runs restart gateways. */
const MEASURED = ["no-lost-update", "crash-safety"];

/**
 * Exploration throughput: schedules per second of one property explored by `jobs` workers at
 * once (each its own pool and seed, as `explore --jobs` runs properties), for 1 and 2 jobs, and
 * the scaling ratio (2 jobs over 1): how much of the second core exploration gets to use.
 */
export async function exploreBench(opts: { quick?: boolean } = {}): Promise<ExploreBench> {
  const runs = opts.quick ? 10 : 40;
  const rows: ExploreBenchRow[] = [];
  for (const id of MEASURED) {
    const property = propertyById(id);
    for (const jobs of [1, 2]) {
      const pools: ActorPool[] = [];
      const started = performance.now();
      const results = await inOrder(
        Array.from({ length: jobs }, (_, i) => i + 1),
        jobs,
        () => (pools[pools.length] = new ActorPool({ storeModule: defaultStoreModule })),
        (seed, pool) =>
          runProperty(property, { pool, capabilities: { checkpoints: "hook" }, closed: new Set(), runs, seed }),
      ).finally(() => Promise.all(pools.map((pool) => pool.close())));
      const seconds = (performance.now() - started) / 1000;
      const schedules = results.reduce((n, result) => n + result.runs, 0);
      rows.push({ property: id, jobs, schedules, seconds, schedulesPerSecond: schedules / seconds });
    }
  }
  const scaling = Object.fromEntries(
    MEASURED.map((id) => {
      const rate = (jobs: number) => rows.find((row) => row.property === id && row.jobs === jobs)!.schedulesPerSecond;
      return [id, rate(2) / rate(1)];
    }),
  );
  return { rows, scaling };
}

export function renderExploreBench(bench: ExploreBench): string {
  return [
    "explore: schedules per second of one property, 1 and 2 jobs at once (each its own pool; pool start included)",
    "property          jobs  schedules  seconds  sched/s",
    ...bench.rows.map(
      (row) =>
        `${row.property.padEnd(16)}  ${String(row.jobs).padStart(4)}  ${String(row.schedules).padStart(9)}  ${row.seconds.toFixed(2).padStart(7)}  ${row.schedulesPerSecond.toFixed(1).padStart(7)}`,
    ),
    ...Object.entries(bench.scaling).map(([id, ratio]) => `scaling (2 jobs / 1 job), ${id}: ${ratio.toFixed(2)}`),
  ].join("\n");
}
