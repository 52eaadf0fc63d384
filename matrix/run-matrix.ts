import { basename } from "node:path";
import { PROPERTY_IDS } from "../properties/catalogue.js";
import type { Scenario } from "../properties/scenario/schema.js";
import { exploreRelease } from "./explore-release.js";
import type { MatrixCell, MatrixColumn } from "./matrix-report.js";
import { openRelease, prefetchRelease } from "./release-session.js";
import { scenarioCell } from "./scenario-cell.js";
import { scenarioVerdict } from "./scenario-verdict.js";

export type MatrixScenario = { file: string; scenario: Scenario };

export type MatrixRunOptions = {
  explore?: { runs?: number; seed?: number; outDir: string };
  /** Called with each release's cells as soon as it is done. */
  onRelease?: (version: string, cells: MatrixCell[], ms: number) => void;
};

export const scenarioColumn = (file: string): MatrixColumn => {
  const name = basename(file).replace(/\.json$/, "");
  return { id: `scenario:${name}`, kind: "scenario", label: name.replace(/^openclaw-/, "") };
};

export const propertyColumn = (id: string): MatrixColumn => ({ id: `property:${id}`, kind: "property", label: id });

/**
 * Runs every scenario (and with `explore`, every property) on each release in order, each
 * release on a fresh pool. Downloads run ahead, one release at a time in the background, so the
 * next release is usually in the cache when its turn comes.
 */
export async function runMatrix(
  versions: readonly string[],
  scenarios: readonly MatrixScenario[],
  opts: MatrixRunOptions = {},
): Promise<{ columns: MatrixColumn[]; cells: MatrixCell[] }> {
  const columns = [
    ...scenarios.map((s) => scenarioColumn(s.file)),
    ...(opts.explore ? PROPERTY_IDS.map(propertyColumn) : []),
  ];
  const fetched = new Map<string, Promise<void>>();
  let chain: Promise<void> = Promise.resolve();
  for (const version of versions) {
    chain = chain.then(() => prefetchRelease(version, { progress: () => undefined }));
    fetched.set(version, chain);
  }
  const cells: MatrixCell[] = [];
  for (const version of versions) {
    const started = Date.now();
    await fetched.get(version);
    const mine: MatrixCell[] = [];
    const opened = await openRelease(version, {});
    if (opened.kind === "absent") {
      for (const column of columns)
        mine.push({ release: version, column: column.id, result: "absent", detail: opened.reason });
    } else {
      try {
        for (const { file, scenario } of scenarios) {
          mine.push(
            scenarioCell(
              version,
              scenarioColumn(file).id,
              file,
              scenario,
              await scenarioVerdict(scenario, opened.session),
            ),
          );
        }
      } finally {
        await opened.close();
      }
      if (opts.explore) mine.push(...(await exploreRelease(version, opts.explore)));
    }
    cells.push(...mine);
    opts.onRelease?.(version, mine, Date.now() - started);
  }
  await chain;
  return { columns, cells };
}
