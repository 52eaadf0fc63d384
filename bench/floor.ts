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

/** The floor a harness step cannot beat: one bare IPC round trip, in microseconds (median). */
export async function ipcRoundTripUs(count: number): Promise<number> {
  const child = fork(fileURLToPath(new URL("./echo-child.js", import.meta.url)), [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        child.once("message", () => resolve());
        child.send({ i });
      });
      times.push((performance.now() - started) * 1000);
    }
  } finally {
    child.kill("SIGKILL");
  }
  return median(times.slice(Math.floor(count / 10)));
}

/** The other half of the floor: a 2 KB temp write, rename over the store, stat (µs, median). */
export function writeRenameStatUs(count: number): number {
  const dir = mkdtempSync(join(tmpdir(), "drift-bench-floor-"));
  const store = join(dir, "sessions.json");
  const text = randomBytes(1024).toString("hex");
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const temp = `${store}.${process.pid}.${i}.tmp`;
      writeFileSync(temp, text);
      renameSync(temp, store);
      statSync(store);
      times.push((performance.now() - started) * 1000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}
