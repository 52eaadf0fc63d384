import { createRequire } from "node:module";
import type { DestinationStream, Logger } from "pino";

/**
 * pino, loaded when the first logger is made (the store makes its logger at its first warning),
 * so a process that never logs never loads it. pino is CommonJS: `require` loads it there and then.
 */
const loadPino = (): typeof import("pino") => createRequire(import.meta.url)("pino") as typeof import("pino");

/**
 * A structured logger for one subsystem: one JSON object per line with `level` (a label),
 * `time`, `subsystem`, `message` and whatever fields the call adds (e.g. `payload`).
 *
 * The level comes from `SESSION_STORE_LOG_LEVEL` (default `info`); the destination defaults
 * to standard output.
 */
export function createSubsystemLogger(subsystem: string, destination?: DestinationStream): Logger {
  const { pino } = loadPino();
  const options = {
    level: process.env.SESSION_STORE_LOG_LEVEL ?? "info",
    messageKey: "message",
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  const root = destination ? pino(options, destination) : pino(options, pino.destination({ dest: 1, sync: true }));
  return root.child({ subsystem });
}
