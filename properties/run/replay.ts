import { propertyById } from "../catalogue.js";
import type { Violation } from "../checks/violation.js";
import type { Scenario, StoreRef } from "../scenario/schema.js";
import { evaluate, type Evaluation } from "./evaluate.js";
import type { StoreSessions } from "./stores.js";

export type ReplayVerdict = {
  store: StoreRef;
  property: string;
  expected: "holds" | "fails";
  held: boolean;
  ok: boolean;
  violations: Violation[];
};

export type ReplayResult = {
  verdicts: ReplayVerdict[];
  ok: boolean;
  evaluations: { store: StoreRef; evaluation: Evaluation }[];
};

/**
 * Replays a scenario's schedule on every store its expectations name, once per property, and
 * says whether each came out as expected. Each run is a fresh real run of the schedule.
 */
export async function replayScenario(
  scenario: Scenario,
  stores: StoreSessions,
  /** Which expectations to replay (default: all); e.g. leave out releases where there is no cache. */
  include: (store: StoreRef) => boolean = () => true,
): Promise<ReplayResult> {
  const verdicts: ReplayVerdict[] = [];
  const evaluations: ReplayResult["evaluations"] = [];
  for (const expectation of scenario.expect.filter((e) => include(e.store))) {
    const session = await stores.get(expectation.store);
    const wanted = [
      ...expectation.holds.map((id) => ({ id, expected: "holds" as const })),
      ...expectation.fails.map((id) => ({ id, expected: "fails" as const })),
    ];
    let shown: Evaluation | undefined;
    for (const { id, expected } of wanted) {
      const result = await evaluate(propertyById(id), scenario.schedule, session.pool, session.closed);
      if (!shown || result.violations.length > 0) shown = result;
      const held = result.violations.length === 0;
      verdicts.push({
        store: expectation.store,
        property: id,
        expected,
        held,
        ok: held === (expected === "holds"),
        violations: result.violations,
      });
    }
    if (shown) evaluations.push({ store: expectation.store, evaluation: shown });
  }
  return { verdicts, ok: verdicts.every((verdict) => verdict.ok), evaluations };
}
