import { setGracefulCleanup } from "tmp-promise";

/**
 * Ctrl-C or a `kill` leaves nothing behind: on SIGINT, SIGHUP or SIGTERM the CLI says so and
 * exits with 128 + the signal's number, and the exit runs the hooks a signal's default action
 * would skip: execa's, which kills every child process, and tmp's, which removes every run
 * directory still open.
 */
export function exitCleanlyOnSignals(): void {
  setGracefulCleanup();
  for (const [signal, number] of [
    ["SIGHUP", 1],
    ["SIGINT", 2],
    ["SIGTERM", 15],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`\ndrift-harness: ${signal}: stopped; child processes killed, run directories removed\n`);
      process.exit(128 + number);
    });
  }
}
