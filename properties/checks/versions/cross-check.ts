import type { StepLockedHistory } from "../../../harness/history/types.js";
import { violation, type CheckId, type Violation } from "../violation.js";
import { checkVersions, type LossProperty } from "./oracle.js";

const LOSS_PROPERTIES: readonly string[] = ["no-lost-update", "acp-survives"] satisfies LossProperty[];

/** The model's checks that say an update was lost (or an operation ended wrong on the way). */
const MODEL_LOSS: readonly CheckId[] = ["content", "outcome", "acp", "unexpected-write"];

/**
 * The version oracle beside the model, for a step-locked history checked against `property`:
 * the lost writes that break that property, and where the two oracles disagree (one of them is
 * wrong, so a person must look) an `oracle-disagreement` that states both verdicts. Only
 * `no-lost-update` and `acp-survives` are about lost writes; for any other property, nothing.
 */
export function crossCheck(
  history: StepLockedHistory,
  property: string,
  modelFound: readonly Violation[],
): Violation[] {
  if (!LOSS_PROPERTIES.includes(property)) return [];
  const report = checkVersions(history);
  const lost = report.violations.filter((v) => v.lostWrite?.property === property);
  const modelLoss = modelFound.filter((v) => MODEL_LOSS.includes(v.check));
  const found: Violation[] = [...lost];
  const first = lost[0];
  if (first && modelLoss.length === 0) {
    found.push(
      violation(
        first.step,
        first.actor,
        "oracle-disagreement",
        `the oracles disagree: the model says ${property} held; the version oracle found ${lost.length} lost write(s), first: ${first.message}`,
      ),
    );
  }
  if (lost.length === 0) {
    for (const v of modelLoss.filter((m) => m.check === "content" || m.check === "acp")) {
      const allowed = report.losses.filter(
        (loss) => loss.allowed !== null && loss.property === property && loss.missingAfter.includes(v.step),
      );
      if (allowed.length === 0) continue;
      const explained = allowed
        .map(
          (loss) =>
            `${loss.write.label} by ${loss.write.actor} (step ${loss.write.step}): allowed, ${loss.allowed} (${loss.why})`,
        )
        .join("; ");
      found.push(
        violation(
          v.step,
          v.actor,
          "oracle-disagreement",
          `the oracles disagree: the model says step ${v.step} lost an update (${v.message}); the version oracle explains every acknowledged write there: ${explained}`,
        ),
      );
    }
  }
  return found;
}
