import { getEachMessage, sendMessage } from "execa";
import { toErrorInfo, sharedClockMs, type ActorCommand, type ActorEvent } from "../protocol.js";

/** The child's side of the IPC channel: typed send, and a command loop that never dies silently. */
export const send = (event: ActorEvent): Promise<void> => sendMessage(event as never);

/** `receivedAt`: when the command came off the channel (shared clock, ms: sharedClockMs). */
export async function serve(handle: (command: ActorCommand, receivedAt: number) => Promise<void> | void): Promise<void> {
  // A child outlives nothing: when the parent goes, so does the child.
  process.on("disconnect", () => process.exit(0));
  for await (const message of getEachMessage()) {
    const command = message as unknown as ActorCommand;
    const receivedAt = sharedClockMs();
    Promise.resolve()
      .then(() => handle(command, receivedAt))
      .catch((error: unknown) => {
        process.stderr.write(`actor ${process.pid} failed on ${command.type}: ${toErrorInfo(error).message}\n`);
        process.exit(70);
      });
  }
}
