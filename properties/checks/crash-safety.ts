import { isGatewayStep } from "../../harness/schedule/schema.js";
import type { CheckContext } from "./context.js";
import { isWriterLeftover } from "./leftovers.js";
import { violation, type CheckId, type Violation } from "./violation.js";

/**
 * No writer ever leaves the store unparseable, whatever crashes: a gateway step never turns a
 * parseable (or missing) file into an unparseable one, and killing a gateway (even paused
 * before its rename) leaves the previous bytes. A temp it leaves behind names its pid, so it can
 * be attributed and swept (openclaw#89520 found 51 GB of anonymous ones).
 */
export function checkCrashSafety({ history }: CheckContext): Violation[] {
  const found: Violation[] = [];
  for (const record of history.steps) {
    if (!isGatewayStep(record.step)) continue;
    const at = (check: CheckId, message: string) =>
      violation(record.index, record.step.actor, check, `${record.step.op}: ${message}`);
    if (record.after.content.kind === "unparseable" && record.before.content.kind !== "unparseable") {
      found.push(at("left-unparseable", `left the store unparseable (${record.after.content.bytes} bytes)`));
    }
    if (record.end.kind === "restarted" && record.after.hash !== record.before.hash) {
      found.push(
        at(
          "kill-changed-file",
          `killing pid ${record.end.killedPid} changed the file: ${record.before.hash} -> ${record.after.hash}`,
        ),
      );
    }
  }
  const killed = [...killedPids(history)];
  for (const leftover of history.leftovers.filter((name) => isWriterLeftover(name, history.storePath))) {
    if (!killed.some((pid) => leftover.includes(`.${pid}.`))) {
      const last = history.steps.length - 1;
      found.push(
        violation(
          last,
          "-",
          "anonymous-temp",
          `leftover temp ${leftover} names no killed writer's pid (killed: ${killed.join(", ") || "none"})`,
        ),
      );
    }
  }
  return found;
}

/**
 * Pids of writers that died mid-write, or may as well have: killed by a restart, or still held
 * when the run ended (the leftovers are taken then; the runner lets such a writer go only after).
 */
function killedPids(history: CheckContext["history"]): Set<number> {
  const pids = new Set<number>();
  const pausedAtEnd = new Map<string, number>();
  for (const record of history.steps) {
    if (record.end.kind === "restarted") {
      pids.add(record.end.killedPid);
      pausedAtEnd.delete(record.step.actor);
    } else if (record.end.kind === "paused" && record.pid !== null) pausedAtEnd.set(record.step.actor, record.pid);
    else if (record.step.op === "resume") pausedAtEnd.delete(record.step.actor);
  }
  for (const pid of pausedAtEnd.values()) pids.add(pid);
  return pids;
}
