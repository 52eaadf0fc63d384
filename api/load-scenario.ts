import { loadScenario, ScenarioFileError } from "../properties/scenario/load.js";
import type { Scenario } from "../properties/scenario/schema.js";
import { UsageError } from "./errors.js";

/** A scenario file, read and validated; a bad one is a UsageError naming the file and the field. */
export function loadScenarioFile(file: string): Scenario {
  try {
    return loadScenario(file);
  } catch (error) {
    if (error instanceof ScenarioFileError) throw new UsageError(error.message);
    throw error;
  }
}
