/** The floor's IPC partner: a bare Node child that echoes every message. */
process.on("message", (message) => process.send?.(message));
process.on("disconnect", () => process.exit(0));
