import { resolveStoreSpec } from "../adapters/registry.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { readReportSource, ReportInputError, type ReportInput } from "../properties/report/html/input.js";
import { renderHtmlReport } from "../properties/report/html/render.js";
import { replayScenario } from "../properties/run/replay.js";
import { StoreSessions } from "../properties/run/stores.js";
import { loadScenarioFile } from "../api/load-scenario.js";
import { storeFor, UsageError } from "./store-option.js";

export type ReportOptions = { html: string; store?: string };

/**
 * Renders a history file (bare, or `{ history, violations, failedProperty }`) or a replayed
 * scenario file as a self-contained HTML page; exit 0 when written, 2 on bad usage or input.
 */
export async function report(file: string, opts: ReportOptions): Promise<number> {
  let source;
  try {
    source = readReportSource(file);
  } catch (error) {
    if (error instanceof ReportInputError) throw new UsageError(error.message);
    throw error;
  }
  if (source.kind === "history" && opts.store) {
    process.stderr.write(
      `drift-harness: note: --store is ignored for a history file; it was recorded against ${source.input.history.storeModule}\n`,
    );
  }
  const input = source.kind === "history" ? source.input : await replayForReport(file, opts);
  const out = resolve(opts.html);
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderHtmlReport(input));
  } catch (error) {
    throw new UsageError(`cannot write ${opts.html}: ${(error as Error).message}`);
  }
  const { history, violations, failedProperty } = input;
  const tripwires = history.steps.reduce((n, record) => n + record.tripwires.length, 0);
  process.stdout.write(
    `wrote ${out}: ${history.steps.length} step(s), ${tripwires} tripwire(s), ${violations.length} violation(s)${failedProperty ? `; ${failedProperty} failed` : ""}\n`,
  );
  return 0;
}

/**
 * Replays a scenario as `replay` does (each expectation on the store it names, `under-test`
 * being `--store`) and picks what to show: the failed property is the first verdict with
 * violations, shown with its violations on a run of the schedule on that verdict's store;
 * with no failure, the first store's run.
 */
async function replayForReport(file: string, opts: ReportOptions): Promise<ReportInput> {
  const scenario = loadScenarioFile(file);
  const { storeModule, nodePath } = await storeFor(opts);
  const stores = new StoreSessions(storeModule, (ref) => resolveStoreSpec(ref), nodePath);
  try {
    const result = await replayScenario(scenario, stores).catch((error: unknown) => {
      throw new UsageError(`${file}: ${(error as Error).message}`);
    });
    const failed = result.verdicts.find((verdict) => verdict.violations.length > 0);
    const shown = (failed && result.evaluations.find((entry) => entry.store === failed.store)) ?? result.evaluations[0];
    if (!shown)
      throw new UsageError(`${file}: the scenario expects nothing of any property, so there is no run to show`);
    return {
      history: shown.evaluation.history,
      violations: failed ? failed.violations : shown.evaluation.violations,
      failedProperty: failed?.property ?? null,
      source: {
        file,
        scenario: scenario.name,
        reference: scenario.reference,
        story: scenario.story,
        store: shown.store,
      },
      verdicts: result.verdicts.map(({ property, store, expected, held, ok }) => ({
        property,
        store,
        expected,
        held,
        ok,
      })),
    };
  } finally {
    await stores.close();
  }
}
