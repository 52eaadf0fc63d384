/**
 * The external actor: a process outside every gateway (a maintenance script, an editor, a
 * second tool) that changes the store file with real renames, unlinks, truncations and mtimes.
 */
import { runExternalOp } from "../faults/external-ops.js";
import type { ExternalStep } from "../schedule/schema.js";
import { toErrorInfo, sharedClockMs, type ActorCommand, type OpOutcome } from "../protocol.js";
import { send, serve } from "./channel.js";

let storePath = "";
let timestamps = false;

async function handle(command: ActorCommand, receivedAt: number): Promise<void> {
  switch (command.type) {
    case "init":
      storePath = command.storePath;
      timestamps = command.timestamps ?? false;
      return send({ type: "ready", pid: process.pid, capabilities: { checkpoints: "none", knownLimitations: null } });
    case "run": {
      const ctx = { storePath, stamp: command.stamp, coarseSecond: command.coarseSecond, timestamps };
      let outcome: OpOutcome;
      try {
        outcome = { status: "ok", value: runExternalOp(ctx, command.step as ExternalStep) };
      } catch (error) {
        outcome = { status: "error", error: toErrorInfo(error) };
      }
      return send({ type: "done", id: command.id, outcomes: [outcome], timing: { receivedAt, repliedAt: sharedClockMs() } });
    }
  }
}

void serve(handle);
