import { resolveStoreSpec } from "../adapters/registry.js";

/**
 * The releases the suite's fixtures resolve (`useRelease`, `usePackage`, the matrix and bisect
 * tests), fetched into the harness's cache before any test file starts. On a warm cache this
 * finds each in place at once; on a fresh machine the downloads overlap each other instead of
 * queueing behind one test file each. A release left out here is still fetched by its test, only
 * later; a fetch that fails here is left for that test to report (and to skip offline).
 */
const RELEASES = [
  "openclaw@2026.1.29",
  "openclaw@2026.2.1",
  "openclaw@2026.3.2",
  "openclaw@2026.5.6",
  "openclaw@2026.7.1",
  "openclaw@2026.8.1",
  "openclaw@2026.9.6",
  "configstore@8.0.0",
  "conf@16.0.0",
  "lowdb@7.0.1",
];

/** At most this many fetches at once: each extracts and installs on the same two cores. */
const AT_ONCE = 4;

export default async function prefetch(): Promise<void> {
  const queue = [...RELEASES];
  const failed: string[] = [];
  const worker = async () => {
    for (let spec = queue.shift(); spec !== undefined; spec = queue.shift())
      await resolveStoreSpec(spec, { progress: () => undefined }).catch(() => failed.push(spec!));
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const note = failed.length > 0 ? `; left to their tests: ${failed.join(", ")}` : "";
  process.stderr.write(
    `prefetch: ${RELEASES.length - failed.length} of ${RELEASES.length} releases in the cache (${seconds} s)${note}\n`,
  );
}
