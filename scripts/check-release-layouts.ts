/**
 * `npm run check:release-layouts [-- FROM..TO] [--json FILE]`: resolves every published
 * openclaw release in the range (default 2026.1.29..2026.7.35, prereleases skipped), fetching
 * what the cache lacks, and replays one fixed scenario on each. Prints one line a release:
 * version, the layout the adapter read, the result. Exit 1 when a release in the range did not
 * load or the scenario did not come out as on every JSON release (no-lost-update holds).
 * Long (every release is a download of ~50 MB on a cold cache): not part of `npm test`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultCacheDir } from "../adapters/openclaw/cache-dir.js";
import type { ReleaseLayout } from "../adapters/openclaw/layout.js";
import { resolveStoreSpec } from "../adapters/openclaw/resolve-release.js";
import { projectRoot } from "../harness/paths.js";
import { openRelease } from "../matrix/release-session.js";
import { publishedVersions } from "../matrix/published.js";
import { expandReleaseSet, parseReleaseSet } from "../matrix/release-set.js";
import { scenarioVerdict } from "../matrix/scenario-verdict.js";
import { loadScenario } from "../properties/scenario/load.js";

const args = process.argv.slice(2);
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;
const range = args.find((arg) => arg.includes("..")) ?? "2026.1.29..2026.7.35";
const SCENARIO = join(projectRoot, "scenarios", "reported", "openclaw-79305-silent-reload.json");

type Row = { version: string; seconds: number; layout?: ReleaseLayout; result: string; ok: boolean };

const facts = (layout: ReleaseLayout): string => {
  if (layout.kind === "sqlite")
    return ["sqlite", layout.writerFile.replace(/^dist\//, ""), `acp in ${layout.acpFile.replace(/^dist\//, "")}`].join(
      " ",
    );
  const clear = layout.bindings.clearSessionStoreCacheForTest;
  const clearedBy =
    "caches" in clear
      ? `clears ${clear.caches.map((c) => c.name).join("+")}`
      : clear.file === layout.writerFile
        ? "clearSessionStoreCacheForTest"
        : `clearSessionStoreCacheForTest in ${clear.file.replace(/^dist\//, "")}`;
  return [
    layout.kind,
    layout.writerFile.replace(/^dist\//, ""),
    layout.serialization,
    layout.acpPreservation ? "acp-preservation" : "no-acp-preservation",
    layout.maintenanceOption ? "skipMaintenance" : "no-maintenance-option",
    layout.bindings.writeTextAtomic ? "writeTextAtomic" : "no-writeTextAtomic",
    clearedBy,
  ].join(" ");
};

async function main(): Promise<number> {
  const cacheDir = defaultCacheDir();
  const versions = expandReleaseSet(parseReleaseSet(`openclaw@${range}`), await publishedVersions(cacheDir));
  const scenario = loadScenario(SCENARIO);
  const started = Date.now();
  const rows: Row[] = [];
  process.stdout.write(
    `${versions.length} releases in ${range}; scenario ${SCENARIO.replace(`${projectRoot}/`, "")}\n`,
  );
  for (const version of versions) {
    const t = Date.now();
    let row: Row;
    try {
      const { release } = await resolveStoreSpec(`openclaw@${version}`, { progress: () => undefined });
      const opened = await openRelease(version, {});
      if (opened.kind === "absent")
        row = { version, seconds: 0, layout: release?.layout, result: `did not open: ${opened.reason}`, ok: false };
      else {
        try {
          const verdict = await scenarioVerdict(scenario, opened.session);
          const outcomes =
            verdict.kind === "ran"
              ? verdict.properties.map((p) => `${p.property} ${p.result}`).join(", ")
              : `absent: ${verdict.reason}`;
          const lostNothing =
            verdict.kind === "ran" &&
            verdict.properties.some((p) => p.property === "no-lost-update" && p.result === "held");
          row = { version, seconds: 0, layout: release?.layout, result: outcomes, ok: lostNothing };
        } finally {
          await opened.close();
        }
      }
    } catch (error) {
      row = { version, seconds: 0, result: `did not load: ${(error as Error).message.split("\n")[0]}`, ok: false };
    }
    row.seconds = Math.round((Date.now() - t) / 100) / 10;
    rows.push(row);
    process.stdout.write(
      `${row.ok ? "ok  " : "FAIL"} ${version.padEnd(10)} ${row.layout ? facts(row.layout) : "-"} | ${row.result} (${row.seconds} s)\n`,
    );
  }
  const failed = rows.filter((row) => !row.ok);
  process.stdout.write(
    `${rows.length - failed.length}/${rows.length} releases loaded and ran the scenario as expected in ${Math.round((Date.now() - started) / 1000)} s${failed.length > 0 ? `; not: ${failed.map((r) => r.version).join(", ")}` : ""}\n`,
  );
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(rows, null, 2)}\n`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
