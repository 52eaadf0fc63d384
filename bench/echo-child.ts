/**
 * The floor's IPC partner: a bare Node child that echoes every message, after spinning for the
 * message's `workUs` (0: at once), so a round trip can also be measured around a step's worth of work.
 */
process.on("message", (message: { workUs?: number }) => {
  const until = performance.now() + (message.workUs ?? 0) / 1000;
  while (performance.now() < until);
  process.send?.(message);
});
process.on("disconnect", () => process.exit(0));
