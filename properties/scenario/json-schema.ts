import { z } from "zod";
import { ScenarioSchema } from "./schema.js";

/** The published JSON Schema of scenario files, generated from the zod schema the code validates with. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ScenarioSchema, { io: "input", target: "draft-2020-12" }),
    $id: "https://drift-harness.invalid/scenarios/schema.json",
    title: "drift-harness scenario",
    description:
      "A schedule of steps by gateway and external processes, and which properties must hold or fail on which store.",
  };
}

export const renderScenarioJsonSchema = (): string => `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
