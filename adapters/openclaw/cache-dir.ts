import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where fetched releases and Node binaries are kept: `$DRIFT_HARNESS_CACHE`, else
 * `$XDG_CACHE_HOME/drift-harness`, else `~/.cache/drift-harness`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRIFT_HARNESS_CACHE) return env.DRIFT_HARNESS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "drift-harness");
}
