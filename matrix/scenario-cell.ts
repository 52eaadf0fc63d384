import type { Scenario } from "../properties/scenario/schema.js";
import type { MatrixCell } from "./matrix-report.js";
import type { ScenarioVerdict } from "./scenario-verdict.js";

/**
 * One release's cell for a scenario: `reproduced` when what failed is what the report says
 * fails (on some store it names), `failed` when something else failed, `held` when every
 * property that could be judged held, `absent` when none could.
 */
export function scenarioCell(
  release: string,
  column: string,
  file: string,
  scenario: Scenario,
  verdict: ScenarioVerdict,
): MatrixCell {
  const base = { release, column, file };
  if (verdict.kind === "absent") return { ...base, result: "absent", detail: verdict.reason };
  const failed = verdict.properties.filter((p) => p.result === "failed").map((p) => p.property);
  const judged = verdict.properties.filter((p) => p.result !== "absent");
  if (judged.length === 0) {
    return {
      ...base,
      result: "absent",
      detail: verdict.properties.map((p) => (p.result === "absent" ? `${p.property}: ${p.reason}` : "")).join("; "),
    };
  }
  const absent = verdict.properties.filter((p) => p.result === "absent").map((p) => p.property);
  const note = absent.length > 0 ? ` (absent: ${absent.join(", ")})` : "";
  if (failed.length === 0)
    return { ...base, result: "held", detail: `${judged.map((p) => p.property).join(", ")} held${note}` };
  const bugSide = new Set(scenario.expect.flatMap((e) => e.fails));
  const result = failed.every((id) => bugSide.has(id)) ? "reproduced" : "failed";
  return { ...base, result, detail: `${failed.join(", ")} failed${note}` };
}
