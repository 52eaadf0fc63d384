import type { Seen } from "../persistence/commit.js";
import type { ChangeSignal } from "../tripwire/tripwire.js";

/**
 * The first-load part: a writer without a cache entry (first since start, after a clear or a
 * failed write) has nothing in memory to compare the file with. This part may know what the
 * store last wrote and say the file changed since; it runs after the file was read and parsed.
 */
export type FirstLoadCheck = (storePath: string, seen: Seen) => ChangeSignal | null;

/** The contract's miss: read the file, signal nothing. */
export const silentMiss: FirstLoadCheck = () => null;
