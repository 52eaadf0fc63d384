import { readdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isNotFound } from "../freshness/stat.js";
import { parseStoreText } from "../persistence/read-store.js";
import { readTextOrNull } from "../persistence/read-store.js";

/** `<basename>.<pid>.<12 hex>.tmp`: the contract's temp name, which names its writer. */
const TEMP_SUFFIX = /^\.(\d+)\.[0-9a-f]{12}\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user. Only ESRCH says it is gone.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Removes the temps of the store's writers that are dead (openclaw#89520: 51 GB of them piled
 * up): `<basename>.<pid>.<hex>.tmp` in the store's directory whose pid no longer exists. Never a
 * live process's (ours included), and never while the store itself is missing or unparseable:
 * a temp may then be the only good copy. Pids are host-local: on a directory shared by several
 * hosts, another host's live writer would look dead (see docs/hardened.md). Returns the names.
 */
export function sweepDeadWriterTemps(storePath: string): string[] {
  try {
    const text = readTextOrNull(storePath);
    if (text === null) return [];
    parseStoreText(storePath, text);
  } catch {
    return [];
  }
  const dir = dirname(storePath);
  const prefix = basename(storePath);
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const match = TEMP_SUFFIX.exec(name.slice(prefix.length));
    const pid = Number(match?.[1]);
    if (!match || pid === process.pid || alive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return removed;
}

/** Sweeps after a process's first write to each store, then at most once per `everyMs`. */
export function throttledSweeper(everyMs: number): (storePath: string) => void {
  const last = new Map<string, number>();
  return (storePath) => {
    const now = Date.now();
    const previous = last.get(storePath);
    if (previous !== undefined && now - previous < everyMs) return;
    last.set(storePath, now);
    try {
      sweepDeadWriterTemps(storePath);
    } catch {
      // Housekeeping: a failed sweep (a permission, a race) never fails the write that ran it.
    }
  };
}
