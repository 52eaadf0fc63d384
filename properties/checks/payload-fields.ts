import { SessionStoreCacheInvalidatedSchema } from "../../src/tripwire/payload.js";
import type { CheckContext } from "./context.js";
import { show, violation, type CheckId, type Violation } from "./violation.js";

/**
 * Every payload matches the contract's schema, and each field is exactly the stat the history
 * recorded: `expected*` the stat after the gateway's last write, `observed*` the live stat.
 */
export function checkPayloadFields({ history, predictions }: CheckContext): Violation[] {
  const found: Violation[] = [];
  for (const record of history.steps) {
    const expected = predictions[record.index]!.tripwires;
    record.tripwires.forEach((payload, i) => {
      const at = (check: CheckId, message: string) =>
        violation(record.index, record.step.actor, check, `${record.step.op}: payload ${i} ${message}`);
      const parsed = SessionStoreCacheInvalidatedSchema.safeParse(payload);
      if (!parsed.success) {
        found.push(
          at(
            "payload-schema",
            `does not match the schema: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`,
          ),
        );
        return;
      }
      const want = expected[i];
      if (want?.kind !== "contract") return;
      const fields = {
        storePath: history.storePath,
        reason: want.reason,
        expectedMtime: want.expected.mtimeMs,
        expectedSize: want.expected.size,
        observedMtime: want.observed?.mtimeMs ?? null,
        observedSize: want.observed?.size ?? null,
      };
      for (const [field, value] of Object.entries(fields)) {
        const actual = (parsed.data as Record<string, unknown>)[field];
        if (actual !== value)
          found.push(at("payload-field", `${field} is ${show(actual)}, the recorded stat says ${show(value)}`));
      }
    });
  }
  return found;
}
