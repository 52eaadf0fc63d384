import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { distDir } from "../harness/paths.js";
import { PROPERTY_IDS } from "../properties/catalogue.js";
import type { MatrixCell } from "./matrix-report.js";
import { releaseSpec } from "./release-set.js";

type ExploreSummary = {
  results: {
    id: string;
    expectation: "hold" | "reproduce";
    verdict: string;
    runs: number;
    error?: string;
    violations?: { step: number; actor: string; message: string }[];
  }[];
};

/**
 * Explores every property on one release in a process of its own (a fresh pool, the same
 * `explore` a user runs), and turns its summary into one cell per property. The counterexamples
 * are kept under `outDir/<version>`.
 */
export async function exploreRelease(
  version: string,
  opts: { runs?: number; seed?: number; outDir: string },
): Promise<MatrixCell[]> {
  const out = join(opts.outDir, version);
  mkdirSync(out, { recursive: true });
  const json = join(out, "summary.json");
  const args = [
    join(distDir, "cli", "main.js"),
    "explore",
    "--store",
    releaseSpec(version),
    "--out",
    out,
    "--json",
    json,
  ];
  if (opts.runs) args.push("--runs", String(opts.runs));
  if (opts.seed !== undefined) args.push("--seed", String(opts.seed));
  const run = await execa(process.execPath, args, { reject: false, stdin: "ignore" });
  if (!existsSync(json)) {
    const why = (run.stderr || run.stdout).trim().split("\n").pop() ?? `explore exited ${run.exitCode}`;
    return PROPERTY_IDS.map((id) => ({
      release: version,
      column: `property:${id}`,
      result: "absent" as const,
      detail: why.replace(/^drift-harness: /, ""),
    }));
  }
  const summary = JSON.parse(readFileSync(json, "utf8")) as ExploreSummary;
  const files = readdirSync(out);
  return summary.results.map((r): MatrixCell => {
    const column = `property:${r.id}`;
    const file = files.find((name) => name.startsWith(`${r.id}-`) && name.endsWith(".json"));
    const first = r.violations?.[0];
    const where = first ? `: step ${first.step} ${first.actor}: ${first.message}` : "";
    const base = { release: version, column, ...(file ? { file: join(out, file) } : {}) };
    if (r.error) return { ...base, result: "absent", detail: r.error };
    if (r.verdict === "held") return { ...base, result: "held", detail: `held in ${r.runs} runs` };
    if (r.verdict === "not-reproduced")
      return { ...base, result: "held", detail: `no counterexample in ${r.runs} runs (the limitation is not there)` };
    if (r.verdict === "reproduced") return { ...base, result: "reproduced", detail: `reproduced${where}` };
    if (r.verdict === "failed") return { ...base, result: "failed", detail: `counterexample${where}` };
    return { ...base, result: "absent", detail: `${r.verdict} (${r.runs} runs)` };
  });
}
