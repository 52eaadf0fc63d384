import type { OperationRecord } from "../../harness/history/types.js";
import type { Step } from "../../harness/schedule/schema.js";

/**
 * A step in a few words, e.g. `merge a note=n1 ⏸before-rename`, `write +b bind-acp:a`.
 * `pauseMark` stands before a paused writer's checkpoint: the HTML report passes words, since
 * the default glyph is missing from the fonts a fresh machine's browser has.
 */
export function describeStep(step: Step, pauseMark = "⏸"): string {
  const fields = (set: Record<string, unknown>) =>
    Object.entries(set)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(",");
  const acp = (binding: Record<string, unknown>) => String(binding.agent ?? "acp");
  const pause = "pause" in step && step.pause ? ` ${pauseMark}${step.pause}` : "";
  switch (step.op) {
    case "merge":
    case "replace-entry":
      return `${step.op} ${step.key} ${fields(step.set)}${pause}`;
    case "merge-throw":
    case "delete-entry":
    case "acp-drop":
      return `${step.op} ${step.key}${pause}`;
    case "acp-bind":
      return `acp-bind ${step.key} ${acp(step.acp)}${pause}`;
    case "acp-set":
      return `acp-set ${step.key} ${fields(step.set)}${pause}`;
    case "batch":
      return `batch[${step.ops.map((op) => describeStep({ actor: step.actor, ...op } as Step, pauseMark)).join(" | ")}]`;
    case "read":
      return step.skipCache ? "read skipCache" : "read";
    case "write":
    case "rewrite-in-place":
    case "same-second-edit": {
      const changes = step.changes
        .map((c) =>
          c.kind === "set"
            ? `${c.key} ${fields(c.set)}`
            : c.kind === "remove"
              ? `-${c.key}`
              : `${c.key} acp=${acp(c.acp)}`,
        )
        .join("; ");
      const size = step.op === "same-second-edit" ? (step.sameSize ? " same-size" : " new-size") : "";
      return `${step.op}${size} ${changes}`;
    }
    case "delete-file":
      return `delete-file (${step.how})`;
    case "bad-edit":
      return `bad-edit (${step.kind})`;
    default:
      return `${step.op}${pause}`;
  }
}

/** How a step ended, in a few words: `ok`, `✗ StoreParseError`, `held at before-rename`, `killed 4242 mid-write`. */
export function describeEnding(record: Pick<OperationRecord, "end">): string {
  switch (record.end.kind) {
    case "paused":
      return `held at ${record.end.checkpoint}`;
    case "restarted":
      return `killed ${record.end.killedPid}${record.end.killedWhilePaused ? " mid-write" : ""}`;
    case "done":
      return record.end.outcomes.map((o) => (o.status === "ok" ? "ok" : `✗ ${o.error.name}`)).join(",") || "ok";
    case "blocked":
      return record.end.outcomes
        .map((o) =>
          o === null
            ? `waits for ${record.end.kind === "blocked" ? record.end.lock : "the lock"}`
            : o.status === "ok"
              ? "ok"
              : `✗ ${o.error.name}`,
        )
        .join(",");
  }
}
