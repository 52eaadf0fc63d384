import type { FreeRunningHistory } from "../../harness/history/types.js";
import { isGatewayStep } from "../../harness/schedule/schema.js";
import { SessionStoreCacheInvalidatedSchema } from "../../src/tripwire/payload.js";
import { isWriterLeftover } from "./leftovers.js";
import { checkVersions, ALLOWED_LOSSES, type AllowedLoss, type LostWrite } from "./versions/oracle.js";
import { violation, type Violation } from "./violation.js";

export type FreeRunningReport = {
  ops: number;
  acknowledgedMerges: number;
  tripwires: number;
  samples: number;
  problems: Violation[];
  /**
   * Acknowledged gateway writes lost with what allows each, as the version oracle found the
   * version that dropped it: an external's stale base, a gateway window under a declared
   * limitation, or the window after a re-check that no store can close.
   */
  explainedLosses: Record<AllowedLoss, number>;
  /** External writes that succeeded, and those lost with what allows each (as `explainedLosses`). */
  externalWrites: number;
  lostExternalWrites: Record<AllowedLoss, number>;
  /** Every loss the version oracle found, allowed or not, with the version that dropped it. */
  losses: LostWrite[];
};

const noLosses = (): Record<AllowedLoss, number> =>
  Object.fromEntries(ALLOWED_LOSSES.map((why) => [why, 0])) as Record<AllowedLoss, number>;

/**
 * What must hold even without a schedule: the file was parseable at every look, every payload
 * is well-formed and its expected and observed stats differ, no acknowledged write is lost
 * unless the version that dropped it is allowed to (the version oracle: written by an external,
 * or in a window the store declares), and a clean run leaves no temp beside the store, whatever
 * its name.
 */
export function checkFreeRunning(history: FreeRunningHistory): FreeRunningReport {
  const problems: Violation[] = [];
  const last = Math.max(history.steps.length - 1, 0);
  const unparseable = history.samples.filter((sample) => sample.state === "unparseable");
  const first = unparseable[0];
  if (first)
    problems.push(
      violation(
        last,
        "-",
        "unparseable-look",
        `the file was unparseable at ${unparseable.length} look(s), first at ${first.at.toFixed(1)} ms (${first.bytes} bytes: ${JSON.stringify(first.head)})`,
      ),
    );
  if (history.final.content.kind === "unparseable")
    problems.push(violation(last, "-", "left-unparseable", "the file is unparseable at the end"));

  let tripwires = 0;
  for (const op of history.steps) {
    const at = (message: string) =>
      violation(op.index, op.step.actor, "payload-schema", `at ${op.startedAt.toFixed(1)} ms: ${message}`);
    for (const payload of op.tripwires) {
      tripwires++;
      const parsed = SessionStoreCacheInvalidatedSchema.safeParse(payload);
      if (!parsed.success) problems.push(at(`malformed payload ${JSON.stringify(payload)}`));
      else if (
        parsed.data.reason === "stat_mismatch" &&
        parsed.data.observedMtime === parsed.data.expectedMtime &&
        parsed.data.observedSize === parsed.data.expectedSize
      ) {
        problems.push(at("a payload whose observed stat equals the expected one"));
      }
    }
  }

  const ok = (outcomes: readonly ({ status: string } | null)[]) =>
    outcomes.filter((outcome) => outcome?.status === "ok").length;
  const acknowledged = history.steps
    .filter((op) => isGatewayStep(op.step) && op.step.op !== "read")
    .reduce((n, op) => n + (op.end.kind === "done" ? ok(op.end.outcomes) : 0), 0);
  const externalWrites = history.steps.filter(
    (op) => op.step.op === "write" && !isGatewayStep(op.step) && op.end.kind === "done" && ok(op.end.outcomes) > 0,
  ).length;
  const versions = checkVersions(history);
  problems.push(...versions.violations);
  const explainedLosses = noLosses();
  const lostExternalWrites = noLosses();
  // One count per lost write, however many of its entries it lost.
  const counted = new Set<string>();
  for (const loss of versions.losses) {
    const id = `${loss.write.step}:${loss.write.label}`;
    if (!loss.allowed || counted.has(id)) continue;
    counted.add(id);
    (loss.write.external ? lostExternalWrites : explainedLosses)[loss.allowed]++;
  }
  const temps = history.leftovers.filter((name) => isWriterLeftover(name, history.storePath));
  if (temps.length > 0)
    problems.push(violation(last, "-", "leftover-temp", `temp files left after a clean run: ${temps.join(", ")}`));
  return {
    ops: history.steps.length,
    acknowledgedMerges: acknowledged,
    tripwires,
    samples: history.samples.length,
    problems,
    explainedLosses,
    externalWrites,
    lostExternalWrites,
    losses: versions.losses,
  };
}
