import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

/** Median of a list of durations. */
export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * One part of the floor, µs per operation: `rateUs` is the elapsed time over the operations
 * (what a rate is made of, slow ones included, as the harness's own rate is), `medianUs` the
 * typical single operation. The first tenth of the operations warms up and is not counted.
 */
export type FloorPart = { rateUs: number; medianUs: number };

async function measure(count: number, op: (i: number) => void | Promise<void>): Promise<FloorPart> {
  const warmUp = Math.floor(count / 10);
  for (let i = 0; i < warmUp; i++) await op(i);
  const times: number[] = [];
  const started = performance.now();
  for (let i = warmUp; i < count; i++) {
    const t = performance.now();
    await op(i);
    times.push((performance.now() - t) * 1000);
  }
  return { rateUs: ((performance.now() - started) * 1000) / (count - warmUp), medianUs: median(times) };
}

/**
 * The floor a harness step cannot beat: one bare IPC round trip to a forked child. With
 * `workUs`, the child works that long before it answers, and the part returned is the round
 * trip beyond the work: what delivering a message costs when both ends have been waiting as
 * long as a harness's parent and actors do (a waiting CPU may have gone idle, and waking it is
 * part of the trip).
 */
export async function ipcRoundTrip(count: number, workUs = 0): Promise<FloorPart> {
  const child = fork(fileURLToPath(new URL("./echo-child.js", import.meta.url)), [], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  try {
    const part = await measure(
      count,
      (i) =>
        new Promise<void>((resolve) => {
          child.once("message", () => resolve());
          child.send({ i, workUs });
        }),
    );
    return { rateUs: part.rateUs - workUs, medianUs: part.medianUs - workUs };
  } finally {
    child.kill("SIGKILL");
  }
}

/** The other half of the floor: a 2 KB temp write, rename over the store, stat. */
export async function writeRenameStat(count: number): Promise<FloorPart> {
  const dir = mkdtempSync(join(tmpdir(), "drift-bench-floor-"));
  const store = join(dir, "sessions.json");
  const text = randomBytes(1024).toString("hex");
  try {
    return await measure(count, (i) => {
      const temp = `${store}.${process.pid}.${i}.tmp`;
      writeFileSync(temp, text);
      renameSync(temp, store);
      statSync(store);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
