import { propertyById } from "../properties/catalogue.js";
import { evaluate } from "../properties/run/evaluate.js";
import type { StoreSession } from "../properties/run/stores.js";
import type { Scenario } from "../properties/scenario/schema.js";
import { absentBecause } from "./absent-properties.js";

/** One property of a scenario on one store. */
export type PropertyOutcome =
  | { property: string; result: "held" }
  | { property: string; result: "failed"; violations: string[] }
  | { property: string; result: "absent"; reason: string };

/** A scenario on one store: each property it names, or why the store could not be run at all. */
export type ScenarioVerdict = { kind: "ran"; properties: PropertyOutcome[] } | { kind: "absent"; reason: string };

/** Every property a scenario's expectations name, in the order they first appear. */
export const scenarioProperties = (scenario: Scenario): string[] => [
  ...new Set(scenario.expect.flatMap((e) => [...e.fails, ...e.holds])),
];

/**
 * Replays the scenario once per property it names on the store. A property the store cannot
 * exercise (a feature it lacks, a schedule it cannot run) is `absent` with the reason, never a
 * failure.
 */
export async function scenarioVerdict(scenario: Scenario, session: StoreSession): Promise<ScenarioVerdict> {
  const properties: PropertyOutcome[] = [];
  for (const id of scenarioProperties(scenario)) {
    const reason = absentBecause(id, session.capabilities.absent ?? []);
    if (reason) {
      properties.push({ property: id, result: "absent", reason });
      continue;
    }
    try {
      const { violations } = await evaluate(propertyById(id), scenario.schedule, session.pool, session.closed);
      properties.push(
        violations.length === 0
          ? { property: id, result: "held" }
          : {
              property: id,
              result: "failed",
              violations: violations.map((v) => `step ${v.step} ${v.actor}: ${v.message}`),
            },
      );
    } catch (error) {
      properties.push({ property: id, result: "absent", reason: (error as Error).message.split("\n")[0]! });
    }
  }
  return { kind: "ran", properties };
}

/** What bisect compares: each property's result, `absent` included (values and messages never count). */
export function verdictSignature(verdict: ScenarioVerdict): string {
  if (verdict.kind === "absent") return "absent";
  return verdict.properties.map((p) => `${p.property} ${p.result}`).join(", ");
}

/** Whether the store could be judged at all: bisect skips a release where nothing ran. */
export const isRunnable = (verdict: ScenarioVerdict): boolean =>
  verdict.kind === "ran" && verdict.properties.some((p) => p.result !== "absent");
