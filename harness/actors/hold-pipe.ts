import { readSync, writeSync } from "node:fs";
import type { ActorCommand, ActorEvent } from "../protocol.js";

/**
 * The second channel between the parent and a gateway, on the child's fd 3 (a socket pair the
 * parent opens with `stdio[3]: "pipe"`), used only while a writer is held inside a synchronous
 * file call (`renameSync`). The main thread is then blocked, so Node's IPC channel cannot be
 * read; instead the child blocks in `readSync` on this fd until the parent writes the next
 * command, and answers with `writeSync`, which needs no event loop either. A worker thread
 * woken by `Atomics` would still need its own way to hear the parent, since only the main
 * thread owns the IPC channel; the pipe is that way, without the thread. A closed pipe means
 * the parent is gone, and the child exits (it would never see the IPC `disconnect` while
 * blocked).
 */
export const HOLD_FD = 3;

let pending = Buffer.alloc(0);

/** The next command the parent wrote, one JSON line; blocks until it arrives. */
export function readCommandSync(): ActorCommand {
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    const newline = pending.indexOf(0x0a);
    if (newline >= 0) {
      const line = pending.toString("utf8", 0, newline);
      pending = pending.subarray(newline + 1);
      return JSON.parse(line) as ActorCommand;
    }
    let read: number;
    try {
      read = readSync(HOLD_FD, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking descriptor (not Linux's default for a child's socket pair): wait a little, retry.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      continue;
    }
    if (read === 0) process.exit(0);
    pending = Buffer.concat([pending, chunk.subarray(0, read)]);
  }
}

/** One reply, one JSON line, written before this returns. */
export function sendSync(event: ActorEvent): void {
  const bytes = Buffer.from(`${JSON.stringify(event)}\n`);
  let written = 0;
  while (written < bytes.length) written += writeSync(HOLD_FD, bytes, written);
}
