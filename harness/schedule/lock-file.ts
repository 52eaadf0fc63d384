import type { Capabilities } from "../protocol.js";

/**
 * The lock-file rule, stated once for the generator (`place`), the runner, the actor and the
 * model. A store that serializes writers with a `<store>.lock` file (`serialization:
 * "lock-file"`) holds it from a writer's load to its rename, so:
 * - a writer held at a checkpoint holds the lock, and another gateway's writer can only wait;
 * - a writer killed while held leaves the lock behind, and every later writer waits for it:
 *   the runner ends its step `blocked`, nothing is read or written, no checkpoint is reached.
 * A SQLite store's held writer holds the database's write lock instead, but a kill rolls its
 * transaction back and leaves nothing behind.
 */
export const holdsLockFile = (serialization: Capabilities["serialization"]): boolean => serialization === "lock-file";

/** Whether a restart leaves a lock behind that every later writer waits for. */
export const killLeavesLock = (serialization: Capabilities["serialization"], killedWhileHeld: boolean): boolean =>
  holdsLockFile(serialization) && killedWhileHeld;
