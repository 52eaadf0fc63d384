import { toErrorInfo, sharedClockMs, type ActorCommand, type ActorEvent } from "../protocol.js";

/**
 * The child's side of the IPC channel: typed send, and a command loop that never dies silently.
 * Node's own channel (`process.send`, `message` events) rather than execa's wrappers around it,
 * which add an event-loop turn and their own bookkeeping to every message (what that costs a
 * step: README, "Benchmarks").
 */
export const send = (event: ActorEvent): Promise<void> =>
  new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error("this actor has no IPC channel"));
    process.send(event, undefined, undefined, (error: Error | null) => (error ? reject(error) : resolve()));
  });

/**
 * `receivedAt`: when the command came off the channel (shared clock, ms: sharedClockMs).
 * Returns the dispatcher, for commands that arrive another way (the hold pipe).
 */
export function serve(
  handle: (command: ActorCommand, receivedAt: number) => Promise<void> | void,
): (command: ActorCommand, receivedAt: number) => void {
  // The handler starts at once, not a microtask later: a synchronous hold relies on a resume
  // reaching its first await before the hold's loop looks again.
  const dispatch = (command: ActorCommand, receivedAt: number): void => {
    new Promise<void>((resolve) => resolve(handle(command, receivedAt))).catch((error: unknown) => {
      process.stderr.write(`actor ${process.pid} failed on ${command.type}: ${toErrorInfo(error).message}\n`);
      process.exit(70);
    });
  };
  // A child outlives nothing: when the parent goes, so does the child.
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message) => dispatch(message as ActorCommand, sharedClockMs()));
  return dispatch;
}
