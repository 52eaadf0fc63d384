import { pino, type DestinationStream, type Logger } from "pino";

/**
 * A structured logger for one subsystem: one JSON object per line with `level` (a label),
 * `time`, `subsystem`, `message` and whatever fields the call adds (e.g. `payload`).
 *
 * The level comes from `SESSION_STORE_LOG_LEVEL` (default `info`); the destination defaults
 * to standard output.
 */
export function createSubsystemLogger(subsystem: string, destination?: DestinationStream): Logger {
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
