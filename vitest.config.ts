import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // One test file per core (vitest's default leaves one core free): a file spends most of its
    // time waiting on its child processes, so two at once use the machine, not overload it.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { SESSION_STORE_LOG_LEVEL: "silent" },
  },
});
