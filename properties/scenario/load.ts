import { readFileSync } from "node:fs";
import { jsonPath } from "../../harness/json-path.js";
import { findScheduleIssues } from "../../harness/schedule/validate.js";
import { ScenarioSchema, type Scenario } from "./schema.js";

/** A scenario file that cannot be used: names the file, the JSON path of the field, and what was expected. */
export class ScenarioFileError extends Error {
  override readonly name = "ScenarioFileError";
}

/** Reads and validates a scenario file (schema, then the schedule's own rules). */
export function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ScenarioFileError(`${file}: not readable JSON: ${(error as Error).message}`);
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
    throw new ScenarioFileError(`${file}: ${issues.join("; ")}`);
  }
  const rules = findScheduleIssues(parsed.data.schedule);
  if (rules.length > 0) {
    throw new ScenarioFileError(
      `${file}: ${rules.map((issue) => `$.schedule.${issue.path}: ${issue.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}
