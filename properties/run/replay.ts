import type { ActorPool } from "../../harness/pool/pool.js";
import type { LimitationId } from "../../src/types.js";
import { propertyById } from "../catalogue.js";
import type { Violation } from "../checks/violation.js";
import type { Scenario } from "../scenario/schema.js";
import { evaluate, type Evaluation } from "./evaluate.js";

export type ReplayVerdict = { property: string; expected: "holds" | "fails"; held: boolean; ok: boolean; violations: Violation[] };

/** Replays a scenario's schedule once per property it names and says whether each came out as expected. */
export async function replayScenario(
  scenario: Scenario,
  pool: ActorPool,
  closed: ReadonlySet<LimitationId>,
): Promise<{ verdicts: ReplayVerdict[]; evaluation: Evaluation | undefined }> {
  const verdicts: ReplayVerdict[] = [];
  let evaluation: Evaluation | undefined;
  const wanted = [
    ...scenario.expect.holds.map((id) => ({ id, expected: "holds" as const })),
    ...scenario.expect.fails.map((id) => ({ id, expected: "fails" as const })),
  ];
  for (const { id, expected } of wanted) {
    const result = await evaluate(propertyById(id), scenario.schedule, pool, closed);
    evaluation ??= result;
    if (result.violations.length > 0) evaluation = result;
    const held = result.violations.length === 0;
    verdicts.push({ property: id, expected, held, ok: held === (expected === "holds"), violations: result.violations });
  }
  return { verdicts, evaluation };
}
