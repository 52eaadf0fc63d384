/**
 * The external actor: a process outside every gateway (a maintenance script, an editor, a
 * second tool) that changes the store file with real renames, unlinks, truncations and mtimes.
 */
import { runExternalOp } from "../faults/external-ops.js";
import type { ExternalStep } from "../schedule/schema.js";
import { toErrorInfo, sharedClockMs, type ActorCommand, type ClockWindow, type OpOutcome } from "../protocol.js";
import { send, serve } from "./channel.js";
import type { WriteVersions } from "../history/types.js";

let storePath = "";

async function handle(command: ActorCommand, receivedAt: number): Promise<void> {
  switch (command.type) {
    case "init":
      storePath = command.storePath;
      return send({ type: "ready", pid: process.pid, capabilities: { checkpoints: "none", knownLimitations: null } });
    case "run": {
      if (command.init) storePath = command.init.storePath;
      const ctx = { storePath, stamp: command.stamp, coarseSecond: command.coarseSecond };
      let outcome: OpOutcome;
      let window: ClockWindow;
      let versions: WriteVersions | null = null;
      const from = sharedClockMs();
      try {
        const done = runExternalOp(ctx, command.step as ExternalStep);
        outcome = { status: "ok", value: done.value };
        window = done.window;
        versions = done.versions;
      } catch (error) {
        outcome = { status: "error", error: toErrorInfo(error) };
        window = { from, to: sharedClockMs() };
      }
      return send({
        type: "done",
        id: command.id,
        outcomes: [outcome],
        windows: [window],
        versions: [versions],
        timing: { receivedAt, repliedAt: sharedClockMs() },
      });
    }
  }
}

void serve(handle);
