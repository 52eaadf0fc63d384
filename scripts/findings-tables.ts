/**
 * The verdict tables of `docs/findings/*.md` come from runs, never from a hand edit.
 *
 * A page marks each table with `<!-- verdicts:<target> -->` … `<!-- /verdicts -->`; the region is
 * rendered from `docs/findings/runs/<target>.json`, an `explore --json` summary with a
 * `recorded` stamp (the date and the command). A marker whose run file does not exist yet is left
 * as it is and listed.
 *
 *   npm run findings:tables                                    rewrite every page's tables
 *   npm run findings:tables -- --check                         exit 1 if a page differs from its runs
 *   npm run findings:tables -- record <target> <summary.json> --command "<the explore command>"
 *                                                              commit a summary as runs/<target>.json,
 *                                                              stamped with today's UTC date
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { projectRoot } from "../harness/paths.js";
import { SummaryResult, summaryOf } from "../api/summary-schema.js";

export const findingsDir = join(projectRoot, "docs", "findings");
export const runsDir = join(findingsDir, "runs");

const Recorded = z.object({
  /** UTC date of the run, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The command that made the summary, as a user would type it. */
  command: z.string(),
});

/** The part of an `explore --json` summary the tables show (the rest is kept in the file, unread). */
export const RunFile = summaryOf(
  SummaryResult.extend({
    findingCount: z.number(),
    notExplorable: z.string().optional(),
    findings: z.array(
      z.object({ signature: z.object({ property: z.string(), check: z.string(), ops: z.array(z.string()) }) }),
    ),
  }),
).extend({ recorded: Recorded });
export type RunFile = z.infer<typeof RunFile>;

const OPEN = /<!-- verdicts:([^ ]+) -->\n/g;
const CLOSE = "<!-- /verdicts -->";

/** The markdown between a target's markers: the run line, the table, the finding signatures. */
export function renderVerdicts(run: RunFile): string {
  const asExpected = run.results.filter((r) => r.ok).length;
  const lines = [
    `Run of ${run.recorded.date} (UTC), seed ${run.seed}: \`${run.recorded.command}\`; ${asExpected} of ${run.results.length} as expected.`,
    "",
    "| property | expected | runs | result | findings |",
    "|---|---|---|---|---|",
    ...run.results.map(
      (r) =>
        `| \`${r.id}\` | ${r.expectation === "hold" ? "holds" : "reproduces"} | ${r.runs} | ${r.ok ? r.verdict : `**${r.verdict}**`} | ${r.findingCount} |`,
    ),
  ];
  // As explore prints it (`showSignature`): property/check [operation kinds].
  const signatures = run.results.flatMap((r) =>
    r.findings.map(({ signature: s }) => `${s.property}/${s.check} [${s.ops.join(", ")}]`),
  );
  if (signatures.length > 0)
    lines.push(
      "",
      "Findings (signature: property/check [operation kinds]):",
      "",
      ...signatures.map((s) => `- \`${s}\``),
    );
  const unexplorable = run.results.filter((r) => r.verdict === "not-explorable");
  if (unexplorable.length > 0)
    lines.push(
      "",
      ...unexplorable.map((r) => `- \`${r.id}\` not explorable${r.notExplorable ? `: ${r.notExplorable}` : ""}`),
    );
  return `${lines.join("\n")}\n`;
}

export function readRun(target: string, dir = runsDir): RunFile | undefined {
  const file = join(dir, `${target}.json`);
  if (!existsSync(file)) return undefined;
  const parsed = RunFile.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${file}: not a recorded explore summary: ${parsed.error.issues.map((i) => `$.${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/** The page with every marked region whose run exists rendered from it; `missing` lists the targets without one. */
export function regeneratePage(text: string, dir = runsDir): { text: string; missing: string[] } {
  const missing: string[] = [];
  let out = "";
  let at = 0;
  for (const match of text.matchAll(OPEN)) {
    const start = match.index + match[0].length;
    if (start < at) continue;
    const end = text.indexOf(CLOSE, start);
    if (end < 0) throw new Error(`<!-- verdicts:${match[1]} --> has no ${CLOSE}`);
    const run = readRun(match[1]!, dir);
    if (!run) missing.push(match[1]!);
    out += text.slice(at, start) + (run ? renderVerdicts(run) : text.slice(start, end));
    at = end;
  }
  return { text: out + text.slice(at), missing };
}

export function findingsPages(dir = findingsDir): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(dir, name));
}

/** Stamps an explore summary with its date and command and writes it as runs/<target>.json. */
function record(target: string, summaryFile: string, command: string, date: string): string {
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as Record<string, unknown>;
  // The store as the user named it, and scenario files by name: no machine's paths in the repo.
  const store = String(summary.store ?? "").replace(`${projectRoot}/`, "");
  // A replay path names the default --out folder, whatever folder the run wrote to.
  const replay = (r: Record<string, unknown>) =>
    typeof r.replayFile === "string"
      ? {
          replayFile: join("counterexamples", basename(r.replayFile)),
          replayCommand: String(r.replayCommand).replace(dirname(r.replayFile), "counterexamples"),
        }
      : {};
  const results = (summary.results as Array<Record<string, unknown>>).map((r) => ({
    ...r,
    ...replay(r),
    findings: (r.findings as Array<Record<string, unknown>>).map((f) => ({
      ...f,
      ...(typeof f.file === "string" ? { file: basename(f.file) } : {}),
    })),
  }));
  const out = join(runsDir, `${target}.json`);
  writeFileSync(out, `${JSON.stringify({ recorded: { date, command }, ...summary, store, results }, null, 2)}\n`);
  RunFile.parse(JSON.parse(readFileSync(out, "utf8")));
  return out;
}

function main(args: string[]): number {
  if (args[0] === "record") {
    const [, target, summaryFile] = args;
    const command = args[args.indexOf("--command") + 1];
    if (!target || !summaryFile || !args.includes("--command") || !command) {
      process.stderr.write(
        'usage: findings-tables record <target> <summary.json> --command "<explore command>" [--date YYYY-MM-DD]\n',
      );
      return 2;
    }
    const date = args.includes("--date") ? args[args.indexOf("--date") + 1]! : new Date().toISOString().slice(0, 10);
    process.stdout.write(`wrote ${record(target, summaryFile, command, date)}\n`);
    return 0;
  }
  const check = args.includes("--check");
  let differ = 0;
  for (const page of findingsPages()) {
    const before = readFileSync(page, "utf8");
    const { text, missing } = regeneratePage(before);
    for (const target of missing)
      process.stdout.write(
        `${basename(page)}: no run for ${target} (docs/findings/runs/${target}.json): table left as it is\n`,
      );
    if (text === before) continue;
    differ++;
    if (check) process.stdout.write(`${basename(page)}: differs from its runs (npm run findings:tables)\n`);
    else {
      writeFileSync(page, text);
      process.stdout.write(`rewrote ${basename(page)}\n`);
    }
  }
  return check && differ > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
