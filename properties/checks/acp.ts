import { isDeepStrictEqual } from "node:util";
import type { CheckContext } from "./context.js";
import { show, violation, type Violation } from "./violation.js";

/**
 * ACP bindings survive merges, reloads after the tripwire and restarts: after every gateway
 * write, each entry's `acp` is exactly what the model kept (dropped only with
 * `allowDropAcpMetaSessionKeys` or with the whole entry).
 */
export function checkAcpSurvives({ history, predictions }: CheckContext): Violation[] {
  const found: Violation[] = [];
  for (const record of history.steps) {
    const content = predictions[record.index]!.content;
    const after = record.after.content;
    if (content.kind !== "store" || after.kind !== "json") continue;
    for (const key of new Set([...Object.keys(content.store), ...Object.keys(after.store)])) {
      const want = content.store[key]?.acp;
      const got = after.store[key]?.acp;
      if (!isDeepStrictEqual(want, got)) {
        const what = want === undefined ? "gained" : got === undefined ? "lost" : "changed";
        found.push(
          violation(
            record.index,
            record.step.actor,
            "acp",
            `${record.step.op}: entry ${key} ${what} its acp: ${show(got)}, expected ${show(want)}`,
          ),
        );
      }
    }
  }
  return found;
}
