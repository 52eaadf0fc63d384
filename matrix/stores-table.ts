import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { PROPERTY_IDS } from "../properties/catalogue.js";
import type { MatrixReport } from "./matrix-report.js";
import { releaseSpec } from "./release-set.js";

type Step = {
  actor: string;
  op: string;
  key?: string;
  pause?: string;
  kind?: string;
  changes?: { kind: string; key: string }[];
  ops?: { op: string; key: string }[];
};
type Violation = { step: number; actor: string; message: string };
type Finding = { file?: string; violations: Violation[] };
type SummaryResult = {
  id: string;
  expectation: "hold" | "reproduce";
  verdict: string;
  runs: number;
  notExplorable?: string;
  error?: string;
  findings?: Finding[];
};

/** One step in a line: `g0 merge a ⏸before-rename`, `x0 write b`. */
function showStep(step: Step): string {
  const what =
    step.op === "write" && step.changes
      ? `write ${step.changes.map((c) => `${c.kind} ${c.key}`).join(", ")}`
      : step.op === "batch" && step.ops
        ? `batch[${step.ops.map((o) => `${o.op} ${o.key}`).join(", ")}]`
        : [step.op, step.kind, step.key].filter(Boolean).join(" ");
  return `${step.actor} ${what}${step.pause ? ` (held at ${step.pause})` : ""}`;
}

function schedule(file: string): string {
  const scenario = JSON.parse(readFileSync(file, "utf8")) as { schedule: { steps: Step[] } };
  return scenario.schedule.steps.map((step, i) => `${i}: ${showStep(step)}`).join("; ");
}

const escapeCell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * docs/stores.md's table from one `matrix --explore --json` and the folder its explores wrote
 * (`--out`: `<release>/summary.json` and the shrunk counterexamples): a row per property, a
 * column per release; every failure footnoted with each shrunk counterexample's steps and the
 * first violation, every not-explorable with its reason.
 */
export function renderStoresTable(report: MatrixReport, exploreDir: string): string {
  const notes: string[] = [];
  const reasons = new Map<string, number>();
  const note = (text: string): number => {
    notes.push(text);
    return notes.length;
  };
  const summaries = new Map(
    report.releases.map((release) => {
      const file = join(exploreDir, release, "summary.json");
      const results = existsSync(file)
        ? (JSON.parse(readFileSync(file, "utf8")) as { results: SummaryResult[] }).results
        : [];
      return [release, new Map(results.map((r) => [r.id, r]))];
    }),
  );
  const cellText = (release: string, id: string): string => {
    const result = summaries.get(release)?.get(id);
    if (!result) return "not run";
    if (result.error) return `error [${note(`${releaseSpec(release)} ${id}: the harness failed: ${result.error}`)}]`;
    if (result.verdict === "held") return `held (${result.runs} runs)`;
    if (result.verdict === "not-reproduced") return `held (${result.runs} runs; the limitation is not there)`;
    if (result.verdict === "not-explorable") {
      const why = result.notExplorable ?? "";
      const n = reasons.get(why) ?? note(`not explorable: ${why}`);
      reasons.set(why, n);
      return `not explorable [${n}]`;
    }
    const label = result.verdict === "reproduced" ? "failed (known limitation)" : "failed";
    const findings = (result.findings ?? []).map((finding) => {
      const local = finding.file ? join(exploreDir, release, basename(finding.file)) : undefined;
      const steps = local && existsSync(local) ? schedule(local) : "schedule not kept";
      const first = finding.violations[0];
      return `${steps} → step ${first?.step} ${first?.actor}: ${first?.message ?? ""}`;
    });
    return `${label} [${note(`${releaseSpec(release)} ${id}: ${findings.map((f, i) => (findings.length > 1 ? `(${i + 1}) ${f}` : f)).join(" ")}`)}]`;
  };
  const header = `| property | ${report.releases.map((r) => `\`${releaseSpec(r)}\``).join(" | ")} |`;
  const rule = `|---|${report.releases.map(() => "---").join("|")}|`;
  const rows = PROPERTY_IDS.map((id) => `| \`${id}\` | ${report.releases.map((r) => cellText(r, id)).join(" | ")} |`);
  return [header, rule, ...rows, "", ...notes.map((text, i) => `${i + 1}. ${escapeCell(text)}`)].join("\n");
}
