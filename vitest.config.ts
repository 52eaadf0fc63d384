import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Free-running stress tests loop as fast as the machine lets them for a fixed number of
 * seconds, and what they find depends on getting the cores they were given: they run alone,
 * after everything else. Every other test is step-locked (its result does not depend on
 * timing), so those files share the cores, a file per core.
 */
const timeBoxed = ["test/stress/**/*.test.ts"];

export default defineConfig({
  test: {
    pool: "forks",
    // Every release the fixtures resolve, fetched at once before the first file (a no-op when cached).
    globalSetup: ["test/prefetch.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { SESSION_STORE_LOG_LEVEL: "silent" },
    projects: [
      {
        extends: true,
        test: {
          name: "step-locked",
          include: ["test/**/*.test.ts"],
          exclude: timeBoxed,
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "time-boxed", include: timeBoxed, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
